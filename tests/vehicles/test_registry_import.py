import pytest
from django.core.management import CommandError, call_command

from dearjohn.oversight.models import AuditEvent
from dearjohn.vehicles.models import Registration

HEADER = "plate,state,make,model,color,year,vehicle_class,owner_name,address_line1,address_line2,city,address_state,zip_code,preferred_language,registry_updated_on\n"
GOOD = [
    "7ABC123,CA,Toyota,Camry,Silver,2018,private,Robin Quillfeather,1200 Marigold Ct,,Oakland,CA,94612,en,2026-10-01\n",
    "6OKR410,ca,Honda,Civic,Blue,2015,,Avery Brightwater,55 Tamsin St,Apt 4,Fremont,CA,94536,es,\n",
    "XYZ1234,NV,Ford,F-150,Red,2021,fleet,Wrenfield Deliveries,9 Cobble Crest Dr,,Reno,NV,89501,,\n",
]


def write(tmp_path, *rows, name="extract.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_it_imports_and_keys_plates_with_o_as_zero(tmp_path, capsys):
    call_command("registry", "import", write(tmp_path, *GOOD))
    assert "3 new and 0 updated" in capsys.readouterr().out
    honda = Registration.objects.get(plate_key="60KR410", state="CA")
    assert (honda.plate, honda.address_line2, honda.preferred_language, honda.vehicle_class) == ("6OKR410", "Apt 4", "es", "private")
    assert Registration.objects.get(state="NV").vehicle_class == "fleet"
    assert AuditEvent.objects.filter(action="registry.import").count() == 1


@pytest.mark.django_db
def test_it_updates_existing_plates_in_place(tmp_path, capsys):
    call_command("registry", "import", write(tmp_path, *GOOD))
    sold = GOOD[0].replace("Robin Quillfeather,1200 Marigold Ct", "Harper Juniper,77 Ashgrove Ter")
    call_command("registry", "import", write(tmp_path, sold, name="update.csv"))
    assert "0 new and 1 updated" in capsys.readouterr().out
    assert Registration.objects.count() == 3
    assert Registration.objects.get(plate_key="7ABC123").owner_name == "Harper Juniper"


@pytest.mark.django_db
def test_a_file_with_bad_rows_changes_nothing_and_names_the_lines(tmp_path, capsys):
    call_command("registry", "import", write(tmp_path, GOOD[0]))
    rows = [GOOD[0].replace("Robin Quillfeather", "Someone Else"), GOOD[1].replace(",2015,", ",20x5,"),
            GOOD[2].replace(",NV,Ford", ",ZZ,Ford"), "8DEF456,CA,Kia\n", GOOD[0]]
    with pytest.raises(CommandError, match="4 bad row"):
        call_command("registry", "import", write(tmp_path, *rows, name="bad.csv"))
    err = capsys.readouterr().err
    assert "line 3: year '20x5' is not a year." in err
    assert "line 4: state 'ZZ' is not a US state code." in err
    assert "line 5: has 3 fields, expected 15." in err
    assert "line 6: plate 7ABC123 (CA) already appears on line 2." in err
    assert Registration.objects.get().owner_name == "Robin Quillfeather"


@pytest.mark.django_db
def test_a_missing_required_column_is_reported_on_line_one(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("plate,state,make\n7ABC123,CA,Toyota\n")
    with pytest.raises(CommandError, match="line 1: the header lacks the column"):
        call_command("registry", "import", str(path))


@pytest.mark.django_db
def test_a_missing_file_is_one_line(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("registry", "import", str(tmp_path / "nope.csv"))


@pytest.mark.django_db
def test_a_truncated_extract_larger_than_a_batch_changes_nothing_then_loads_whole(tmp_path, capsys):
    rows = [f"8K{n:05d},CA,Honda,Civic,Blue,2015,,Owner {n},{n} Tamsin St,,Fremont,CA,94536,en,\n" for n in range(2100)]
    truncated = write(tmp_path, *rows[:-1], rows[-1][:20] + "\n", name="cut.csv")
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("registry", "import", truncated)
    assert "line 2101: has 4 fields, expected 15." in capsys.readouterr().err
    assert Registration.objects.count() == 0
    call_command("registry", "import", write(tmp_path, *rows, name="whole.csv"))
    call_command("registry", "import", write(tmp_path, *rows, name="again.csv"))
    assert "0 new and 2100 updated" in capsys.readouterr().out
    assert Registration.objects.count() == 2100
