from ._outside import OutsideImport


class Command(OutsideImport):
    help = (
        "Import a CASE 1.0 or 1.1 package (a file, or what a provider's CFPackages answers): "
        "checked whole, then written in one go."
    )
    fmt = "case"
    what = "CASE CFPackage"
