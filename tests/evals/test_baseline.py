from assistant.types import Answer
from evals.baseline import LangChainBaseline
from index.types import Hit


def test_baseline_splits_indexes_and_answers_with_the_top_passage(corpus_dir, tmp_path, embedder):
    long_file = tmp_path / "long-plan.txt"
    long_file.write_text(("Đoạn văn về kế hoạch đào tạo nghề. " * 40 + "\n\n") * 3, encoding="utf-8")
    paths = sorted(corpus_dir.iterdir()) + [long_file]
    baseline = LangChainBaseline.build(paths, embedder, k=3)
    try:
        assert baseline.n_chunks > len(paths)  # the long file was split (chunk_size 1000)
        hits = baseline.retrieve("Hoàn thành trước ngày 31/12/2025", 3)
        assert len(hits) == 3 and all(isinstance(h, Hit) for h in hits)
        assert hits[0].chunk.doc_id == "beta-plan.txt"
        assert hits[0].score >= hits[1].score >= hits[2].score
        assert all(len(h.chunk.text) <= 1000 for h in hits)

        answer = baseline.ask("Hoàn thành trước ngày 31/12/2025")
        assert isinstance(answer, Answer) and not answer.abstained
        assert answer.text == hits[0].chunk.text + " [1]"
        assert answer.citations[0].document == "beta-plan.txt" and answer.citations[0].n == 1
        assert baseline.ask("xyzzy").abstained is False  # never abstains
    finally:
        baseline.close()


def test_two_baselines_in_one_process_are_independent(corpus_dir, embedder):
    a = LangChainBaseline.build([corpus_dir / "alpha-plan.txt"], embedder, k=5)
    b = LangChainBaseline.build([corpus_dir / "beta-plan.txt"], embedder, k=5)
    try:
        assert {h.chunk.doc_id for h in a.retrieve("kế hoạch", 5)} == {"alpha-plan.txt"}
        assert {h.chunk.doc_id for h in b.retrieve("kế hoạch", 5)} == {"beta-plan.txt"}
    finally:
        a.close()
        b.close()
