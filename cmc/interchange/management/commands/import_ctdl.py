from ._outside import OutsideImport


class Command(OutsideImport):
    help = (
        "Import a CTDL-ASN competency framework (JSON-LD): checked whole, then written in one go."
    )
    fmt = "ctdl"
    what = "CTDL-ASN JSON-LD graph"
