"""t2s conversion: native OpenCC converts and keeps every text's length (offsets stay exact)."""
import random

from fupin import SEEDS
from fupin.transforms.script import to_simplified

ARTICLES = sorted((SEEDS / "articles").glob("*.txt"))


def test_seed_texts_convert_and_keep_length():
    assert len(ARTICLES) >= 5
    for p in ARTICLES:
        text = p.read_text(encoding="utf-8")
        out = to_simplified(text)
        assert len(out) == len(text)
    assert to_simplified("脫貧攻堅") == "脱贫攻坚"
    assert to_simplified("") == ""


def test_every_cjk_code_point_keeps_length():
    block = "".join(map(chr, range(0x4E00, 0xA000)))
    assert len(to_simplified(block)) == len(block)
    compat = "".join(map(chr, range(0xF900, 0xFB00)))
    assert len(to_simplified(compat)) == len(compat)


def test_random_mixtures_keep_length():
    rng = random.Random(7)
    pool = "區區县縣鄉乡貧困脫貧發生率萬元户戶乾隆乾淨後來发髮" + "abc 12.5% ，。\n"
    for _ in range(300):
        s = "".join(rng.choice(pool) for _ in range(rng.randint(1, 40)))
        assert len(to_simplified(s)) == len(s)
