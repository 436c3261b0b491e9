"""The `cmc` console command: the project's management commands under short names."""

import os
import sys

COMMANDS = {
    "serve": (
        "serve",
        "Serve the site with the production app server (gunicorn) and a background worker.",
    ),
    "worker": ("worker", "Run a background task worker alone (serve runs one itself)."),
    "load-reference": ("load_reference", "Load or update the shipped reference content."),
    "import": ("import_framework", "Import frameworks from a CSV, XLSX or JSON file."),
    "import-case": ("import_case", "Import a CASE 1.0 or 1.1 package (CFPackage JSON)."),
    "import-ctdl": ("import_ctdl", "Import a CTDL-ASN competency framework (JSON-LD)."),
    "export": (
        "export_framework",
        "Export a framework: json, csv, xlsx, case, ctdl, pdf, docx, or its pyramid as svg or png.",
    ),
    "import-esco": (
        "import_esco",
        "Load ESCO (skills, occupations, their relations) from its CSV export directory.",
    ),
    "import-esco-crosswalk": (
        "import_esco_crosswalk",
        "Load the ESCO to O*NET-SOC occupation crosswalk CSV.",
    ),
    "worksheet": (
        "worksheet",
        "Write a workshop worksheet (XLSX or DOCX) of a model, or upload a filled-in one.",
    ),
    "credentials": (
        "credentials",
        "Export a credential's alignments (Open Badges 3.0 or CTDL), or list credentials.",
    ),
    "import-resources": (
        "import_resources",
        "Import resources (CSV or XLSX) for the clearinghouse: checked first, then one write.",
    ),
    "survey": (
        "survey",
        "Validation surveys: open one (prints the personal links), its results, close it.",
    ),
    "import-onet": ("import_onet", "Import an O*NET database release (text or Excel files)."),
    "import-soc": ("import_soc", "Import SOC 2018, CIP 2020 and the TOP-CIP-SOC crosswalk."),
    "import-oews": ("import_oews", "Import BLS OEWS wage estimates (BLS's file layout)."),
    "load-open-data": (
        "load_open_data",
        "Import O*NET, SOC and OEWS from CMC_OPEN_DATA (default ../shared/data), if changed.",
    ),
    "start-tiers": (
        "start_tiers",
        "Start tiers 6 to 9 of a framework from an occupation's O*NET content.",
    ),
    "lattice": (
        "lattice",
        "Import a career lattice (YAML or JSON), or export one as json, svg, png or pdf.",
    ),
    "search": ("search", "Search frameworks, competencies and key behaviors."),
    "derive": ("derive", "Build a new model from one framework, or blend several."),
    "publish": ("publish", "Publish the next version of a model, optionally changing its status."),
    "diff": ("diff", "Show what changed between two models or versions."),
    "review": (
        "review",
        "Open a review round of a model (prints the reviewers' links), close one, or send reminders.",
    ),
    "token": ("api_token", "Create, list or revoke API tokens for a user."),
    "migrate": ("migrate", "Create or update the database tables."),
    "createsuperuser": ("createsuperuser", "Create a staff user for the admin."),
    "check": ("check", "Check the configuration (add --deploy for production)."),
}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = [
        "usage: cmc COMMAND [OPTIONS]   (cmc COMMAND --help for a command's options)",
        "",
        "Competency models: frameworks, tiers, competencies and key behaviors.",
        "",
        "commands:",
    ]
    lines += [f"  {name.ljust(width)}  {text}" for name, (_, text) in COMMANDS.items()]
    lines += ["", "Any other manage.py command runs as `cmc manage COMMAND ...`."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name == "manage":
        command = rest[:1]
        rest = rest[1:]
    elif name in COMMANDS:
        command = [COMMANDS[name][0]]
    else:
        print(f"cmc: unknown command '{name}' (cmc --help lists them)", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line([f"cmc {name}", *command, *rest])
    except Exception as error:  # one line for people; --traceback shows the rest
        if "--traceback" in rest:
            raise
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(f"cmc {name}: {type(error).__name__}: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
