"""Issue 12 through the CLI: province names of today, the provinces table, and the done criteria on the
sample plans with the real bundled model (slow)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from planchat.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_provinces_command_lists_all_63_former_provinces(capsys):
    assert main(["provinces", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["provinces"]
    assert len(rows) == 63
    bk = next(r for r in rows if r["former"] == "Bắc Kạn")
    assert bk == {"former": "Bắc Kạn", "today": "Thái Nguyên", "change": "merged", "effective": "2025-07-01",
                  "legal_basis": "Nghị quyết 202/2025/QH15 ngày 12/06/2025", "clause": "Điều 1 khoản 3"}
    assert main(["provinces"]) == 0
    assert "Thái Nguyên: Thái Nguyên, Bắc Kạn" in capsys.readouterr().out


def test_unknown_province_is_a_one_line_error(tmp_path, capsys):
    from planchat.commands.ask import make_filters

    with pytest.raises(ValueError) as err:
        make_filters(None, ["Atlantis"], [])
    assert "\n" not in str(err.value)
    assert make_filters(None, ["lao cai", "Bắc Kạn"], []).provinces == ("Lào Cai", "Bắc Kạn")


# --- real model on the five sample plans -------------------------------------------------------


def _ask(data_dir, capsys, *args):
    assert main(["ask", *args, "--json", "--data-dir", str(data_dir)]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.slow
def test_question_in_todays_name_answers_from_the_bac_kan_plan_with_the_merger_note(sample_data_dir, capsys):
    out = _ask(sample_data_dir, capsys, "Tỉnh Thái Nguyên đặt mục tiêu đào tạo nghề bao nhiêu người giai đoạn 2021-2025?")
    assert not out["abstained"]
    assert "30.000" in out["answer"]
    assert out["citations"][0]["document"] == "bac-kan-37-KH-UBND-2022.txt"
    assert "Bắc Kạn, nay thuộc tỉnh Thái Nguyên" in out["answer"]
    basis = [c for c in out["citations"] if c.get("kind") == "legal_basis"]
    assert basis and basis[0]["number"] == "Nghị quyết 202/2025/QH15"


@pytest.mark.slow
def test_province_filter_lao_cai_includes_the_yen_bai_plan(sample_data_dir, capsys):
    out = _ask(sample_data_dir, capsys, "Ai chủ trì tổ chức đào tạo nghề?", "--province", "Lào Cai")
    docs = {c["document"] for c in out["citations"] if c.get("kind", "passage") == "passage"}
    assert docs == {"yen-bai-49-KH-UBND-2020.txt"}
    assert "Yên Bái, nay thuộc tỉnh Lào Cai" in out["answer"]


@pytest.mark.slow
def test_labour_department_on_vocational_training_carries_the_handover_note(sample_data_dir, capsys):
    out = _ask(sample_data_dir, capsys, "Sở Lao động - Thương binh và Xã hội chủ trì những nhiệm vụ đào tạo nghề nào ở Bắc Kạn?")
    assert "Sở Lao động - Thương binh và Xã hội" in out["answer"].split("Lưu ý")[0]
    assert ("nhiệm vụ giáo dục nghề nghiệp của Sở Lao động - Thương binh và Xã hội nay thuộc Sở Giáo dục và Đào tạo "
            "(từ 01/03/2025, Nghị định 45/2025/NĐ-CP ngày 28/02/2025)") in out["answer"]


@pytest.mark.slow
def test_handover_note_cites_the_hanoi_decision_when_it_is_loaded(external_dir, tmp_path, capsys):
    data_dir = tmp_path / "data"
    files = [REPO / "data" / "sample_plans" / "bac-kan-37-KH-UBND-2022.txt",
             external_dir / "dev-docs" / "hanoi_qd11-2025-qdubnd_chuc-nang-nhiem-vu-so-gddt.pdf"]
    assert main(["ingest", *map(str, files), "--data-dir", str(data_dir), "--no-progress"]) == 0
    capsys.readouterr()
    out = _ask(data_dir, capsys, "Sở Lao động - Thương binh và Xã hội chủ trì những nhiệm vụ đào tạo nghề nào ở Bắc Kạn?")
    note = next(c for c in out["citations"] if c.get("kind") == "note")
    assert note["document"] == "hanoi_qd11-2025-qdubnd_chuc-nang-nhiem-vu-so-gddt.pdf"
    assert "giáo dục nghề nghiệp" in note["quote"] and "Sở Giáo dục và Đào tạo" in note["quote"]
    assert main(["documents", "--json", "--data-dir", str(data_dir)]) == 0
    docs = {d["doc_id"]: d for d in json.loads(capsys.readouterr().out)["documents"]}
    from datetime import date

    # "giai đoạn 2021-2025" in its title: the plan's period has ended once 2025 is over
    assert docs["bac-kan-37-KH-UBND-2022.txt"]["status"] == ("expired" if date.today().year > 2025 else "current")
    assert docs["hanoi_qd11-2025-qdubnd_chuc-nang-nhiem-vu-so-gddt.pdf"]["replaces"] == ["22/2024/QĐ-UBND|2024"]
