"""Staging and decoding of every kind of input, good and bad, on real files."""
from __future__ import annotations

import codecs
import os
import threading

import polars as pl
import pytest

from conftest import SEEDS
from fupin.flows import stage as stg

SEED = sorted(SEEDS.glob("*.txt"))
TEXT = SEED[0].read_text(encoding="utf-8")
BIG5_OK = SEED[2].read_text(encoding="utf-8")  # every character of this one exists in Big5


def staged(path) -> dict:
    row = stg.stage_file(str(path))
    assert "reason" not in row, row
    return row


def rejected(path, reason) -> dict:
    row = stg.stage_file(str(path))
    assert row.get("reason") == reason, row
    assert row["detail"].startswith(os.path.basename(str(path))) and len(row["detail"]) > 25
    return row


@pytest.mark.parametrize("enc,expect", [("utf-8", "utf-8"), ("gb18030", "gb18030"), ("utf-16", "utf-16"),
                                        ("utf-16-be", "utf-16"), ("utf-8-sig", "utf-8-sig")])
def test_encodings_decode_to_the_same_text(tmp_path, enc, expect):
    data = TEXT.encode(enc)
    if enc == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    p = tmp_path / "a.txt"
    p.write_bytes(data)
    row = staged(p)
    assert row["encoding"] == expect and row["input_kind"] == "txt"
    assert row["raw_text"] == TEXT  # BOM stripped, nothing else changed
    assert row["size_bytes"] == len(data)
    import hashlib
    assert row["article_id"] == hashlib.sha256(data).hexdigest()


def test_big5(tmp_path):
    p = tmp_path / "b.txt"
    p.write_bytes(BIG5_OK.encode("big5"))
    row = staged(p)
    assert row["encoding"] == "big5" and row["raw_text"] == BIG5_OK


def test_crlf_kept_as_is(tmp_path):
    crlf = TEXT.replace("\n", "\r\n")
    p = tmp_path / "crlf.txt"
    p.write_bytes(crlf.encode("utf-8"))
    row = staged(p)
    assert row["raw_text"] == crlf and "\r\n" in row["raw_text"]


def test_truncated_utf8_is_staged_with_offsets_intact(tmp_path):
    data = TEXT.encode("utf-8")
    cut = len(TEXT[:500].encode("utf-8")) + 1  # one byte into a 3-byte character
    assert TEXT[500] > "\u0800"
    p = tmp_path / "cut.txt"
    p.write_bytes(data[:cut])
    row = staged(p)
    assert row["encoding"] == "utf-8"
    assert row["raw_text"] == TEXT[:500] + "\ufffd"


def test_empty_and_blank(tmp_path):
    (tmp_path / "e.txt").write_bytes(b"")
    (tmp_path / "w.txt").write_bytes(b" \r\n\t\n")
    rejected(tmp_path / "e.txt", "empty")
    rejected(tmp_path / "w.txt", "empty")


def test_binary_named_txt(tmp_path):
    p = tmp_path / "photo.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4000))
    r = rejected(p, "binary")
    assert r["content_hash"] and r["size_bytes"] == p.stat().st_size


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_when_clearly_chinese(tmp_path, enc):
    p = tmp_path / "u16.txt"
    p.write_bytes(TEXT.encode(enc))
    row = staged(p)
    assert row["encoding"] == enc and row["raw_text"] == TEXT


def test_latin1_is_undecodable(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes(("Café crème, résumé à la carte. " * 40).encode("latin-1"))
    rejected(p, "undecodable")


def test_html_page_saved_as_txt_is_read_as_html(tmp_path):
    """An HTML page named .txt is a page: its main text (trafilatura) is the article."""
    p = tmp_path / "page.txt"
    body = TEXT[:300].replace("\n", "")
    p.write_text(f"<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>t</title></head>"
                 f"<body><p>{body}</p></body></html>", encoding="utf-8")
    row = staged(p)
    assert (row["encoding"], row["input_kind"]) == ("utf-8", "html")
    assert row["raw_text"].split() == body.split()  # trafilatura folds spaces


def test_20mb_single_line_is_rejected_by_size_without_reading(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        line = ("脱贫攻坚" * 1000).encode("utf-8")
        for _ in range(20 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    r = rejected(p, "too_large")
    assert "MB" in r["detail"] and r["content_hash"] and r["size_bytes"] > 20_000_000


def test_limit_is_configurable(tmp_path, monkeypatch):
    p = tmp_path / "a.txt"
    p.write_text(TEXT, encoding="utf-8")
    monkeypatch.setenv("FUPIN_MAX_FILE_BYTES", "1000")
    rejected(p, "too_large")


def test_directory_named_txt(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    rejected(tmp_path / "folder.txt", "not_a_file")


def test_dangling_symlink(tmp_path):
    (tmp_path / "link.txt").symlink_to(tmp_path / "nowhere.txt")
    assert "symbolic link" in rejected(tmp_path / "link.txt", "unreadable")["detail"]


def test_fifo_does_not_hang(tmp_path):
    p = tmp_path / "pipe.txt"
    os.mkfifo(p)
    out = {}
    t = threading.Thread(target=lambda: out.update(stg.stage_file(str(p))), daemon=True)
    t.start()
    t.join(10)
    assert not t.is_alive(), "staging a FIFO blocked"
    assert out["reason"] == "not_a_file" and "FIFO" in out["detail"]


def test_vanished_between_discovery_and_read(tmp_path):
    p = tmp_path / "gone.txt"
    p.write_text(TEXT, encoding="utf-8")
    assert str(p) in stg.discover(tmp_path)
    p.unlink()
    rejected(p, "vanished")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads chmod-000 files; unreadability is covered by the "
                                               "dangling-symlink, directory and FIFO cases")
def test_permission_denied(tmp_path):
    p = tmp_path / "secret.txt"
    p.write_text(TEXT, encoding="utf-8")
    p.chmod(0)
    try:
        assert "permission" in rejected(p, "unreadable")["detail"]
    finally:
        p.chmod(0o644)


def test_discover_recursive_case_insensitive_sorted(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.TXT").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "skip.md").write_text("x")
    (tmp_path / "d.txt").mkdir()
    (tmp_path / "d.txt" / "inner.txt").write_text("x")
    got = [os.path.relpath(p, tmp_path) for p in stg.discover(tmp_path)]
    assert got == sorted(got) and set(got) == {"a.txt", os.path.join("b", "x.TXT"), "d.txt",
                                               os.path.join("d.txt", "inner.txt")}


def test_batch_partition_accounts_for_every_file(tmp_path):
    """A batch of good and bad files: every path ends as an article or a reject, the good
    ones exactly as when staged alone, and the four Parquet files are written."""
    inp = tmp_path / "in"
    inp.mkdir()
    for p in SEED[:2]:
        (inp / p.name).write_bytes(p.read_bytes())
    (inp / "copy.txt").write_bytes(SEED[0].read_bytes())
    (inp / "empty.txt").write_bytes(b"")
    (inp / "bin.txt").write_bytes(b"\x00\x01\x02" * 100)
    (inp / "dir.txt").mkdir()
    paths = stg.discover(inp)
    res = stg.process_batch_local(paths, tmp_path / "part")
    arts = pl.read_parquet(tmp_path / "part" / "articles.parquet")
    rejs = pl.read_parquet(tmp_path / "part" / "rejects.parquet")
    assert {f.name for f in (tmp_path / "part").iterdir()} == {f"{n}.parquet" for n in stg.PARTITION_FILES}
    assert sorted(arts["source_path"].to_list() + rejs["source_path"].to_list()) == sorted(paths)
    assert res["unique_articles"] == 2 and arts.height == 3
    assert dict(zip(rejs["source_file"], rejs["reason"])) == {"empty.txt": "empty", "bin.txt": "binary",
                                                               "dir.txt": "not_a_file"}
    for p in SEED[:2]:
        alone = staged(p)
        row = arts.filter(pl.col("source_file") == p.name).row(0, named=True)
        assert row["raw_text"] == alone["raw_text"] and row["article_id"] == alone["article_id"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(cut=st.integers(min_value=1, max_value=len(TEXT.encode("utf-8"))),
       crlf=st.booleans(), bom=st.booleans())
def test_any_cut_of_utf8_decodes_to_a_prefix(cut, crlf, bom):
    """Cut a UTF-8 article at any byte: the decoded text is the text's prefix, plus one
    U+FFFD when the cut falls inside a character; CRLF and BOM handling stay exact."""
    text = TEXT.replace("\n", "\r\n") if crlf else TEXT
    data = text.encode("utf-8")[:cut]
    if bom:
        data = b"\xef\xbb\xbf" + data
    try:
        got, enc = stg.decode(data)
    except stg.StageError as e:  # only a cut inside the first character can leave nothing readable
        assert cut < 4, e
        return
    assert enc == ("utf-8-sig" if bom else "utf-8")
    if got.endswith("\ufffd") and not text.startswith(got):
        got = got[:-1]
    assert text.startswith(got) and len(got.encode("utf-8")) >= cut - 3


def test_pool_jobs_write_the_same_partition_as_one_process(tmp_path):
    """A batch big enough for the process pool is staged and extracted in jobs of
    at most pool.CHUNK files: the partition equals the one-process one, also for one text under two
    names that land in different jobs (its facts are kept once) and for bad files."""
    from fupin.flows import pool

    inp = tmp_path / "in"
    inp.mkdir()
    texts = [p.read_bytes() for p in SEED]
    n = pool.MIN_PARALLEL + 30
    for i in range(n):
        (inp / f"a{i:04d}.txt").write_bytes(texts[i % len(texts)] + f"\n{i}\n".encode())
    (inp / f"a{n:04d}.txt").write_bytes((inp / "a0003.txt").read_bytes())  # a copy, in the last job
    (inp / "b_empty.txt").write_bytes(b"")
    paths = stg.discover(inp)
    one = stg.process_batch_local(paths, tmp_path / "one", workers=1)
    two = stg.process_batch_local(paths, tmp_path / "two", workers=2)
    assert one == {**two, "partition": one["partition"]}
    assert one["unique_articles"] == n and one["articles"] == n + 1 and one["rejects"] == 1
    for name in stg.PARTITION_FILES:
        assert pl.read_parquet(tmp_path / "one" / f"{name}.parquet").equals(
            pl.read_parquet(tmp_path / "two" / f"{name}.parquet")), name


def test_warmed_pool_runs_jobs():
    """`fupin run` starts the pool's processes before importing Prefect; the batches then
    run their jobs in those same processes."""
    import os

    from fupin.flows import pool

    pool.warm_up(2)
    pids = set(pool.map_in_pool(_pid, range(8), 2))
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def _pid(_):
    import os

    return os.getpid()


def test_pool_split():
    from fupin.flows import pool

    assert pool.split([], 2) == []
    assert [len(j) for j in pool.split(list(range(500)), 2)] == [250, 250]
    assert [len(j) for j in pool.split(list(range(230)), 2)] == [115, 115]
    assert [len(j) for j in pool.split(list(range(7)), 4)] == [2, 2, 2, 1]
    jobs = pool.split(list(range(1001)), 2)
    assert max(map(len, jobs)) <= pool.CHUNK and sum(jobs, []) == list(range(1001))
