"""``policykg build --cluster``: extraction on a Dask distributed cluster (here a local one of
two worker processes) writes byte for byte what ``--jobs 1`` writes, inputs sent by path or
by bytes; an unreachable scheduler is one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from graph_builder.cli import main  # noqa: E402
from graph_builder.cluster import ClusterError, imap_cluster  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
EPOCH = "1700000000"


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as c:
        yield c.scheduler_address


@pytest.mark.slow
def test_cluster_build_is_byte_identical_to_one_job(tmp_path, monkeypatch, cluster):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    common = ["--formats", "json,text,nq", "-q"]
    assert main(["build", str(CORPUS), "--out", str(tmp_path / "one"), "--jobs", "1", *common]) == 0
    assert main(["build", str(CORPUS), "--out", str(tmp_path / "path"), "--cluster", cluster,
                 *common]) == 0  # fmt: skip
    assert main(["build", str(CORPUS), "--out", str(tmp_path / "bytes"), "--cluster", cluster,
                 "--cluster-send", "bytes", *common]) == 0  # fmt: skip
    one = _files(tmp_path / "one")
    assert len([n for n in one if n.startswith("json/")]) == 5
    assert _files(tmp_path / "path") == one
    assert _files(tmp_path / "bytes") == one


@pytest.mark.slow
def test_cluster_results_come_back_in_input_order(cluster):
    assert list(imap_cluster(abs, range(-50, 0), cluster, batch=3)) == list(range(50, 0, -1))


def test_unreachable_scheduler_is_a_cluster_error():
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        list(imap_cluster(abs, [1], "tcp://127.0.0.1:9", timeout=1))
