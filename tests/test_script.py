"""t2s conversion: every backend gives native OpenCC's output and keeps the length."""
import random
from pathlib import Path

import polars as pl
import pytest

from transforms import script as S
from transforms import t2s_table as T

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds" / "articles").glob("*.txt"))
native = pytest.importorskip("opencc.clib", reason="native opencc wheel not installed")


def seed_texts():
    return [p.read_text(encoding="utf-8") for p in SEEDS]


def test_seeds_exist():
    assert len(SEEDS) >= 5


@pytest.mark.parametrize("backend", ["native", "table"])
def test_seed_text_equals_native_and_keeps_length(backend):
    for text in seed_texts():
        ref = S.convert_raw(text, "native")
        out = S.convert_raw(text, backend)
        assert out == ref
        assert len(out) == len(text)
        assert "脫貧" not in out and "脱贫" in out  # it really converted


def test_to_simplified_default_backend_keeps_length():
    for text in seed_texts():
        out = S.to_simplified(text)
        assert len(out) == len(text)
        assert out == S.convert_raw(text, "native")
    assert S.to_simplified("") == ""


def test_dictionary_entries_keep_length():
    for d in (T.COMPAT, T.CHARS, T.PHRASES):
        for k, v in d.items():
            assert len(k) == len(v), (k, v)


def test_every_dictionary_key_matches_native():
    keys = list(T.COMPAT) + list(T.CHARS) + list(T.PHRASES)
    for sep in ("\n", ""):
        probe = sep.join(keys)
        assert S.convert_raw(probe, "table") == S.convert_raw(probe, "native")


def test_every_cjk_code_point_matches_native():
    text = "\n".join(chr(i) for i in range(0x2E80, 0x32000) if not 0xD800 <= i < 0xE000)
    out = S.convert_raw(text, "native")
    assert len(out) == len(text)
    assert S.convert_raw(text, "table") == out


def test_phrases_win_over_characters():
    # 乾 alone -> 干, but 乾隆 is a phrase kept as is; 憑藉 -> 凭借 (藉 alone stays 藉)
    for text in ("乾隆皇帝", "乾淨", "憑藉著", "意志消沈的深沈", "餅乾乾隆年間"):
        assert S.convert_raw(text, "table") == S.convert_raw(text, "native")


def test_random_mixtures_match_native():
    rng = random.Random(5)
    alphabet = list(T.CHARS) + list(T.COMPAT) + list("的一是在不了有和人這中大為上個國我以要他時來用們生到作地於出就分對成會可主發年動同工也能下過子說產種面而方後多定行學法所民得經十三之進著等部度家電力裡如水化高自二理起小物現實加量都兩體制機當使點從業本去把性好應開它合還因由其些然前外天政四日那社義事平形相全表間樣與關各重新線內數正心反你明看原又麼利比或但質氣第向道命此變條只沒結解問意建月公無系軍很情者最立代想已通並提直題黨程展五果料象員革位入常文總次品式活設及管特件長求老頭基資邊流路級少圖山統接知較將組見計別她手角期根論運農指幾九區強放決西被幹做必戰先回則任取據處府研質信") + list("，。、 \n0123456789%萬億元畝")
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400)))
        text += "".join(rng.sample(sorted(T.PHRASES), 3))
        assert S.convert_raw(text, "table") == S.convert_raw(text, "native")


def test_polars_series_matches_native():
    texts = seed_texts() + ["乾隆年間的乾淨", "", None, "憑藉" * 3]
    s = S.to_simplified_series(pl.Series("raw_text", texts, dtype=pl.Utf8))
    assert s.name == "raw_text"
    for t, o in zip(texts, s.to_list()):
        if t is None:
            assert o is None
        else:
            assert o == S.convert_raw(t, "native")
            assert len(o) == len(t)


def test_env_selects_backend(monkeypatch):
    S.backend_name.cache_clear()
    try:
        monkeypatch.setenv("FUPIN_OPENCC", "table")
        assert S.backend_name() == "table"
        S.backend_name.cache_clear()
        monkeypatch.setenv("FUPIN_OPENCC", "bogus")
        with pytest.raises(ValueError):
            S.backend_name()
        S.backend_name.cache_clear()
        monkeypatch.delenv("FUPIN_OPENCC")
        assert S.backend_name() == "native"
    finally:
        S.backend_name.cache_clear()


def test_length_fallback_is_charwise(monkeypatch):
    # a backend that changed the length must not leak out of to_simplified
    real = S.convert_raw
    monkeypatch.setattr(S, "convert_raw", lambda t, b=None: real(t, b) + ("X" if len(t) > 1 else ""))
    text = "脫貧攻堅"
    out = S.to_simplified(text)
    assert len(out) == len(text) and out == "脱贫攻坚"


def test_synthetic_corpus_matches_native(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import corpus

    corpus.make_corpus(300, tmp_path, seed=11, gbk_share=0.1)
    for p in sorted(tmp_path.glob("*.txt")):
        b = p.read_bytes()
        try:
            text = b.decode("utf-8")
        except UnicodeDecodeError:
            text = b.decode("gb18030")
        ref = S.convert_raw(text, "native")
        assert len(ref) == len(text)
        assert S.to_simplified(text) == ref == S.convert_raw(text, "table")
