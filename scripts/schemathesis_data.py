"""Data for schemathesis (run by scripts/schemathesis through `manage.py shell`): the fuzzing user
with a model of its own and a worksheet upload on it, so that the routes addressed by an
identifier are fuzzed against real items, not only answered with 404. Prints shell assignments
that the script turns into the configuration's variables."""

import io

import openpyxl
from django.contrib.auth import get_user_model

from cmc.analysis import services, sheetfiles
from cmc.factories import loaded, welding_tree
from cmc.frameworks.services import create_framework

fuzzer = get_user_model().objects.create_user("fuzzer", password="not-used-fuzzer-pw")
create_framework(tree=welding_tree(slug="fuzz-welding", name="Fuzz Welding"), actor=fuzzer)
model = loaded("fuzz-welding")
competencies = [c for tier in model.tier_list for c in tier.competency_list]
behaviors = [b for c in competencies for b in c.behavior_list]

book = openpyxl.load_workbook(io.BytesIO(sheetfiles.render(model, "employer", "xlsx")))
sheet = book.active
first_item = next(row for row in sheet.iter_rows() if row[0].value == "1.1")
first_item[2].value = "5"
filled = io.BytesIO()
book.save(filled)
upload = services.upload(
    framework=model,
    actor=fuzzer,
    kind="employer",
    name="employer.xlsx",
    data=filled.getvalue(),
    about={"employer": "Fuzz Utilities"},
)

print(f"CMC_FUZZ_COMPETENCY={competencies[0].identifier}")
print(f"CMC_FUZZ_COMPETENCY_DELETED={competencies[-1].identifier}")
print(f"CMC_FUZZ_BEHAVIOR={behaviors[0].identifier}")
print(f"CMC_FUZZ_BEHAVIOR_DELETED={behaviors[-1].identifier}")
print(f"CMC_FUZZ_UPLOAD={upload.identifier}")
