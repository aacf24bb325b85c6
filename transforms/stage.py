"""Staging: find article files, read them safely, detect their encoding, decode them.

Everything here is plain Python + polars (no Prefect, no DuckDB) so it runs the same in the
flow's threads, on Dask workers and in tests.

Decisions (also in README "Robustness"):

* Offsets everywhere are Python ``str`` indices into the decoded text. A UTF-8 BOM is
  stripped (``utf-8-sig``); nothing else is changed (CRLF stays).
* Encodings: BOM first (UTF-8, UTF-16 LE/BE, UTF-32), then strict UTF-8, then GB18030 and
  Big5 (cp950) are both tried and the decoding whose characters are most often common
  Chinese characters wins (a wrong legacy decoding yields rare characters).
* Truncated UTF-8 (a file cut inside its last multi-byte character) is staged, decoded as
  UTF-8 with the incomplete last character replaced by U+FFFD: every earlier offset is
  unaffected and the article's facts are kept.
* Files larger than ``MAX_FILE_BYTES`` (default 8 MiB, env ``FUPIN_MAX_FILE_BYTES``) are
  rejected as ``too_large`` from their size alone, before reading: a news article is a few
  kB; a 20 MB single line is not an article and would only cost memory and time.
* An HTML page saved as .txt is rejected (``html``): stripping tags would make the offsets
  point into text that is not the file, and a web page carries navigation and ads whose
  numbers are not the article's facts. The detail tells the user to save the article text.
* Unreadable inputs are rejected with a reason a person understands: ``vanished`` (listed,
  then gone), ``unreadable`` (permission denied, I/O error, dangling symlink),
  ``not_a_file`` (a directory, FIFO, socket or device named *.txt; opened non-blocking so a
  FIFO never hangs the run), ``empty``, ``binary``, ``undecodable``.
"""
from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import stat
from pathlib import Path

import polars as pl

from fupin.transforms.schema import ARTICLE, REJECT, conform, empty

# A reject as written to the stage partitions: the REJECT contract plus what the planner
# needs to skip an unchanged rejected file next run.
REJECT_STAGED = {**REJECT, "content_hash": pl.Utf8, "size_bytes": pl.Int64}

DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024
READ_CHUNK = 1 << 20

# Reasons that depend only on the file's bytes: an unchanged file with one of these is not
# read again. Other reasons (vanished, unreadable, extraction_failed...) are retried.
CONTENT_REASONS = frozenset({"empty", "binary", "undecodable", "html", "too_large"})


def max_file_bytes() -> int:
    try:
        return int(os.environ.get("FUPIN_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES))
    except ValueError:
        return DEFAULT_MAX_FILE_BYTES
COMMON_HANZI = (
    "一丁七万三上下不与专且世业东丝两严並个中临为主丽举乃久么义之乎乐九也习乡书买乱乾亂了予争事二于云互五亚些亞亡交亦产京亮亲"
    "人亿什仅今介仍从他付代令以们件价任份企伊休众优伙会伟传伤伦伯伸似但位低住体佔何余佛作你使來例供依侵便促俄保信修個們倒候借"
    "倫值假偉做停健傑備傳傷僅價億優元兄充先光免党入內全兩八公六兰共关兴兵其具典养内再写农冰冲决况冷准减几凡出击刀分切刑划列刘"
    "则刚创初判別利别到制刺刻則前剑剛剧副創劃劇劉劍力办功加务动助努劳势勒動務勝勞勢包化北区医區十千升午半华协協单卖南博占卡卫"
    "印危即却卷卻厂历压原去县参參又及友双反发取受变口古句另只叫可台史右叶号司吃各合吉同名后向君否吧含听吳吴吸呀告员周味呼命和"
    "品哈响員哥哪哲唐售唯商啊問善喜喝喫單嘴器嚴四回因团园困围固国图圆國圍園圓圖團土圣在地场均坏坐块坚坦型埃城域執培基堂堅報場"
    "塊塔塞境增壓壞士声处备复夏外多夜够夠夢夥大天夫央失头奇套奥奧女好如妇妈妻姆始姐姑姓委威娘婚婦媽子字存孙学孩孫學宁宇守安宋"
    "完宗官定宝实审客宣室宫宮害家容宽密富察實寧審寫寬寶对寻导封射将將專尊尋對導小少尚尤就尼尽局层居屋展属層屬山岁岛岸島川州工"
    "左巨差己已巴市布希帝带席帮帶常幫干平年并幸幾广庄床序库应底店府度座庫庭康廠廣延建开异弃弄式引弟张弱張強弹强彈归当录形影往"
    "征待很律後徒得從微徵心必忍志忘忙快念忽怀态怎怒怕思急性怪总恐恩息恶您悲情惊惡想意愛感愿態慢慮應懷戏成我或战戰戲戶户房所手"
    "才打托执扩扬扶批找承技把抓投抗折护报抱抵担拉拍招拥择括拿持指按挥振损换据授掉掌排採探接控推措提揚換握揮損搖搞摆摇摩擁擇擊"
    "擔據擴擺支收改攻放政故效敌救敗教敢散数整敵數文斗料断新斷方於施旁旅族无既日旧早时明易星春是显時晚普景智暗暴曲更書曾替最會"
    "月有朋服望朝期木未末本术朱机杀杂权李材村束条来杨杰東松板极构析林果枪架某染查标树校样核根格案梅條梦检棄森植楊楚業極楼概榮"
    "構槍樂樓標模樣樹機檢權次欢欧欲款歌歐歡止正此步武歲歷歸死残殘段殺毀毁母每毒比毕毛毫民气氣水永求汉江決沉沒沙没河油治況法波"
    "注泽洋洛洞洲活派流测济海消深混清渐減温測港游湖湾源準溫滅满滿演漢漸潛潜澤激濟灣火灭灯灵炮炸点烈烟热無然煙照熟熱燈營爭爱爲"
    "父爷爸爺牀片版牙牛物特犯状狀狂独猛獨獲率玉王玩环现班現球理環甚生產用田由甲申电男画界留畢略畫異當疑疗病痛療登發白百的皇皮"
    "益监盖盘盛盟盡監盤目直相省看真着睛睡督知短石研破础确確礎示礼社祕祖票禁福禮离秀私秋种科秘积称移稅程税種稱稳積穩究空穿突窗"
    "立站竞竟章端競笔第筆等筑答策简算管節範篇築簡米类精系紀約紅納純紙級素索紧細終組結絕絡給統絲經綠維網緊線編緩練縣總織繼續红"
    "约级纪纯纳纸线练组细织终经结给络绝统继续维绿缓编缺网罗罪置羅美羣群義習翻老考者而耳职联聖聞聯聲職聽肉股肯育背胜胡能脑脚脫"
    "脱脸腦腳臉臣臨自至致臺與興舉舊舞航般舰船艦良色艺节花苏若苦英范草荣药莊莫获華营萨萬落葉著蒙蓋薩藏藝藥蘇蘭虎虑處虚虛號虽血"
    "衆行術街衛衝衣补表被装裏補裝西要覆見規視親覺觀见观规视觉角解言計討訓記訪設許訴評詞試詩話該認語誠誤說誰調談請論諸諾謀謂講"
    "謝證識警議護讀變讓计认讨让训议记讲许论设访证评识诉词试诗诚话该语误说请诸诺读谁调谈谋谓谢谷象貝負財貧貨責貴買費貿資賣質購"
    "賽贝负财责败货质贫购贵贸费资赛走赵赶起超越趕趙趣足跑跟跡路跳身車軟較載輕輪輸轉车转轮软轻载较输辦農边达迅过迎运近还这进远"
    "连迫述迷迹追退送适逃选透逐途這通速造連進遇運遍過道達遗遠適遭選遺避還邊那郑部都鄉鄭配酒醒醫采释釋里重野量金針銀銷錄錢錯鍾"
    "鎮鐵针钟钱铁银销错镇長长門閃開間關门闪问间闻队防阳阴阵阶阿附际陆陈降限院陣除险陰陳陸陽隊階随隐際隨險隱难雄雅集雖雙雜離難"
    "雨雪雲雷電需震露靈青静靜非靠面革音響頁頂項順須預頓領頭題額願類顧顯页顶项顺须顾顿预领题额飛飞食飯養餘館饭馆首香馬驗驚马验"
    "骨體高鬥鬼魚魯鮮鱼鲁鲜麗麻麼黃黄黑默點黨鼓齊齐龍龙"
)


class StageError(Exception):
    """A file that cannot be staged; reason is a short code, detail a sentence."""

    def __init__(self, reason: str, detail: str, content_hash: str | None = None, size: int | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.content_hash, self.size = reason, detail, content_hash, size


# ----------------------------------------------------------------------------- discovery

def discover(input_dir: str | os.PathLike) -> list[str]:
    """Every entry named *.txt (any case) under input_dir, recursively, as sorted absolute
    paths. Non-regular entries (directories, FIFOs, dangling symlinks) named *.txt are listed
    too so that they end as rejects with a reason instead of vanishing silently. Symlinked
    directories are not followed (no loops)."""
    root = Path(input_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"input folder {root} does not exist or is not a folder")
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in filenames + dirnames:
            if name.lower().endswith(".txt"):
                out.append(os.path.abspath(os.path.join(dirpath, name)))
    return sorted(out)


# ----------------------------------------------------------------------------- reading

_KIND = [(stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
         (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device")]


def _open_regular(path: str) -> tuple[int, os.stat_result]:
    """Open without blocking (a FIFO would otherwise wait for a writer forever) and make
    sure the thing opened is a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        if os.path.islink(path):
            raise StageError("unreadable", f"is a symbolic link to {os.readlink(path)!r}, which does not exist")
        raise StageError("vanished", "was listed when the run started but was gone when it was read "
                                     "(deleted or moved during the run); it will be picked up next run if it comes back")
    except IsADirectoryError:
        raise StageError("not_a_file", "is a directory named like a text file, not a file")
    except PermissionError:
        raise StageError("unreadable", "permission denied: the user running fupin may not read this file "
                                       "(check its owner and mode)")
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise StageError("unreadable", "is a symbolic link that loops back on itself")
        if e.errno == errno.ENXIO:
            raise StageError("not_a_file", "is a socket or device, not a file")
        raise StageError("unreadable", f"could not be opened: {e.strerror or e}")
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        what = next((w for test, w in _KIND if test(st.st_mode)), "not a regular file")
        raise StageError("not_a_file", f"is {what} named like a text file, not a file")
    return fd, st


def hash_file(path: str) -> tuple[str, int] | None:
    """(sha256 hex, size) of a regular file, streamed; None when it cannot be read."""
    try:
        fd, _ = _open_regular(path)
    except StageError:
        return None
    h, n = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "rb", closefd=True) as f:
            while chunk := f.read(READ_CHUNK):
                h.update(chunk)
                n += len(chunk)
    except OSError:
        return None
    return h.hexdigest(), n


def read_file(path: str, limit: int | None = None) -> bytes:
    """The file's bytes, or StageError. Files over `limit` bytes are rejected from their size
    (hash computed by streaming so an unchanged one is skipped next run)."""
    limit = max_file_bytes() if limit is None else limit
    fd, st = _open_regular(path)
    try:
        if st.st_size > limit:
            os.close(fd)
            fd = -1
            hs = hash_file(path)
            raise StageError("too_large",
                             f"is {st.st_size / 1e6:.1f} MB, over the {limit / 1e6:.1f} MB limit for one article "
                             f"(set FUPIN_MAX_FILE_BYTES to raise it); not read",
                             content_hash=hs[0] if hs else None, size=st.st_size)
        parts, n = [], 0
        try:
            while True:
                chunk = os.read(fd, READ_CHUNK)
                if not chunk:
                    break
                parts.append(chunk)
                n += len(chunk)
                if n > limit:  # grew while we read it
                    raise StageError("too_large", f"grew past the {limit / 1e6:.1f} MB limit while it was read", size=n)
        except BlockingIOError:
            raise StageError("unreadable", "could not be read without blocking")
        except OSError as e:
            raise StageError("unreadable", f"could not be read: {e.strerror or e}")
        return b"".join(parts)
    finally:
        if fd >= 0:
            os.close(fd)


# ----------------------------------------------------------------------------- decoding

_COMMON = frozenset(COMMON_HANZI + "，。、：；“”「」（）《》！？")
_CTRL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_CTRL_TABLE = bytes.maketrans(_CTRL, b"\x00" * len(_CTRL))
MIN_LEGACY_SCORE = 0.3
_HTML_RE = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s[^>]*charset", re.I)


def _is_hanzi(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3134F or 0xF900 <= o <= 0xFAFF


_CJK_CHARS = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f，。、：；“”「」（）《》！？]")


def _chinese_score(text: str) -> float:
    """Share of CJK characters (and CJK punctuation) that are common Chinese characters in
    either script. Right decodings of news text score ~0.7; wrong ones ~0.05."""
    # A 4,000-character sample decides it; this runs for every file that could be BOM-less
    # UTF-16 (any even length), so it must cost little.
    cjk = _CJK_CHARS.findall(text, 0, 4000)
    if not cjk:
        return 0.0
    return sum(map(_COMMON.__contains__, cjk)) / len(cjk)


def _looks_binary(data: bytes) -> str | None:
    head = data[:65536]
    if b"\x00" in head:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > 0.3 * (len(head) / 2) and min(even, odd) < 0.05 * (len(head) / 2):
            return ("looks like UTF-16 text without a byte-order mark; save it as UTF-8 "
                    "(or UTF-16 with BOM) to load it")
        return "contains NUL bytes: a binary file (image, archive, office document...), not text"
    ctrl = len(head) - len(head.translate(None, _CTRL))
    if ctrl > max(8, 0.01 * len(head)):
        return f"has {ctrl} control bytes in its first {len(head)} bytes: a binary file, not text"
    return None


def _could_be_utf16(data: bytes) -> bool:
    """False for valid UTF-8 with multi-byte characters and no NUL byte. Chinese UTF-16 has
    NULs (its ASCII characters) or high bytes 0x80-0x9F, which in text of 64 bytes and more
    practically never all fall into valid UTF-8 sequences. Spares every even-length UTF-8
    file the Chinese-score test (half the input)."""
    if b"\x00" in data or data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) or StageError. encoding is a Python codec name."""
    if not data:
        raise StageError("empty", "is empty (0 bytes): there is no text to load")
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            if enc == "utf-8-sig":
                return _decode_utf8(data[len(bom):], "utf-8-sig")
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise StageError("undecodable", f"starts with a {enc.upper()} byte-order mark but is not valid "
                                                f"{enc.upper()} at byte {e.start} (cut off or corrupted?)")
    if len(data) % 2 == 0 and len(data) >= 64 and _could_be_utf16(data):
        # UTF-16 without a BOM: accepted only when it clearly reads as Chinese text
        for cand in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(cand)
            except UnicodeDecodeError:
                continue
            if _chinese_score(text) >= 0.6 and sum(map(_is_hanzi, text[:2000])) >= 20:
                return text, cand
    why = _looks_binary(data)
    if why:
        raise StageError("binary", why)
    return _decode_utf8(data, "utf-8")


def _decode_utf8(data: bytes, enc: str) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), enc
    except UnicodeDecodeError as e:
        if e.reason == "unexpected end of data" and e.start >= len(data) - 3:
            # Truncated inside the last character: keep everything before it; the partial
            # character becomes U+FFFD, so earlier offsets are unchanged.
            return data[:e.start].decode("utf-8") + "\ufffd", enc
        utf8_error = e
    if enc == "utf-8-sig":
        raise StageError("undecodable", f"starts with a UTF-8 byte-order mark but is not valid UTF-8 at byte "
                                        f"{utf8_error.start}")
    best: tuple[float, str, str] | None = None
    for cand in ("gb18030", "cp950"):
        try:
            text = data.decode(cand)
        except UnicodeDecodeError:
            continue
        s = _chinese_score(text)
        if best is None or s > best[0]:
            best = (s, text, "big5" if cand == "cp950" and _strict_big5(data) else cand)
    if best and best[0] >= MIN_LEGACY_SCORE:
        return best[1], best[2]
    raise StageError("undecodable", f"is not valid UTF-8 (bad byte at offset {utf8_error.start}) and does not read "
                                    "as Chinese text in GB18030 or Big5 either; save it as UTF-8")


def _strict_big5(data: bytes) -> bool:
    try:
        data.decode("big5")
        return True
    except UnicodeDecodeError:
        return False


def check_text(text: str) -> None:
    """Reject decoded text that is not an article."""
    if not text.strip():
        raise StageError("empty", "holds only whitespace")
    if _HTML_RE.search(text[:4096]) and "</" in text:
        raise StageError("html", "is an HTML web page saved as .txt, not article text; save the article's "
                                 "text (e.g. copy it from the page) instead, so offsets point into the article")


# ----------------------------------------------------------------------------- one file

def stage_file(path: str, limit: int | None = None) -> dict:
    """Stage one file: an ARTICLE row (dict) or a reject row (dict with 'reason')."""
    name = os.path.basename(path)
    digest, size = None, None
    try:
        data = read_file(path, limit)
        digest, size = hashlib.sha256(data).hexdigest(), len(data)
        text, enc = decode(data)
        del data
        check_text(text)
    except StageError as e:
        return {"source_path": path, "source_file": name, "reason": e.reason, "detail": f"{name} {e.detail}",
                "content_hash": e.content_hash or digest, "size_bytes": e.size if e.size is not None else size}
    return {"article_id": digest, "source_file": name, "source_path": path, "size_bytes": size,
            "encoding": enc, "raw_text": text}


def stage_files(paths: list[str], limit: int | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(ARTICLE frame, REJECT_STAGED frame) for the given paths."""
    arts, rejs = [], []
    for p in paths:
        row = stage_file(p, limit)
        (rejs if "reason" in row else arts).append(row)
    a = pl.DataFrame(arts, schema=ARTICLE) if arts else empty(ARTICLE)
    r = pl.DataFrame(rejs, schema=REJECT_STAGED) if rejs else empty(REJECT_STAGED)
    return a, r


# ----------------------------------------------------------------------------- one batch

PARTITION_FILES = ("articles", "meta", "facts", "rejects")


def _extract(articles: pl.DataFrame, warnings: list[str]) -> tuple[pl.DataFrame, pl.DataFrame, list[dict]]:
    """Run extraction (in this process) on unique articles. If the batch call raises, retry
    one article at a time so one bad article cannot sink its neighbours; articles whose
    extraction still fails come back as reject rows (reason extraction_failed; retried next
    run)."""
    from fupin.transforms.extract import extract_batch
    from fupin.transforms.schema import ARTICLE_META, FACT

    if articles.is_empty():
        return empty(ARTICLE_META), empty(FACT), []
    try:
        meta, facts = extract_batch(articles, workers=1)
        return conform(meta, ARTICLE_META), conform(facts, FACT), []
    except Exception as e:  # noqa: BLE001 - isolate the failing article below
        warnings.append(f"extraction failed for a batch of {articles.height} articles ({e}); retrying one by one")
    metas, factss, failed = [], [], []
    for i in range(articles.height):
        one = articles.slice(i, 1)
        try:
            m, f = extract_batch(one, workers=1)
            metas.append(conform(m, ARTICLE_META))
            factss.append(conform(f, FACT))
        except Exception as e:  # noqa: BLE001
            failed.append({"source_path": one["source_path"][0], "source_file": one["source_file"][0],
                           "reason": "extraction_failed",
                           "detail": f"{one['source_file'][0]} was decoded but extraction failed: "
                                     f"{type(e).__name__}: {e}"[:1000],
                           "content_hash": one["article_id"][0], "size_bytes": one["size_bytes"][0]})
    meta = pl.concat(metas) if metas else empty(ARTICLE_META)
    facts = pl.concat(factss) if factss else empty(FACT)
    return meta, facts, failed


def stage_and_extract(paths: list[str], skip_extract: frozenset | set = frozenset()) -> dict:
    """Stage and extract some files in this process: the job a pool process runs. Returns
    frames (articles, rejects, meta, facts), the ids of the unique articles it extracted and
    warnings to log."""
    from fupin.transforms.schema import ARTICLE_META, FACT

    warnings: list[str] = []
    articles, rejects = stage_files(paths)
    todo = articles.unique(subset="article_id", keep="first", maintain_order=True)
    if skip_extract:
        todo = todo.filter(~pl.col("article_id").is_in(list(skip_extract)))
    meta, facts, failed = _extract(todo, warnings)
    if failed:
        bad = {r["content_hash"] for r in failed}
        failed_rows = (articles.filter(pl.col("article_id").is_in(list(bad)))
                       .select("source_path", "source_file", "article_id", "size_bytes"))
        detail = {r["content_hash"]: r["detail"] for r in failed}
        rejects = pl.concat([rejects, pl.DataFrame([
            {"source_path": r["source_path"], "source_file": r["source_file"], "reason": "extraction_failed",
             "detail": detail[r["article_id"]], "content_hash": r["article_id"], "size_bytes": r["size_bytes"]}
            for r in failed_rows.iter_rows(named=True)], schema=REJECT_STAGED)])
        articles = articles.filter(~pl.col("article_id").is_in(list(bad)))
        meta = meta.filter(~pl.col("article_id").is_in(list(bad)))
        facts = facts.filter(~pl.col("article_id").is_in(list(bad)))
    return {"articles": conform(articles, ARTICLE), "rejects": conform(rejects, REJECT_STAGED),
            "meta": conform(meta, ARTICLE_META), "facts": conform(facts, FACT),
            "todo_ids": todo["article_id"].to_list(), "warnings": warnings}


def _combine(parts: list[dict]) -> dict:
    """One batch from its jobs, in order. Content that two jobs both held (one text under
    two names) keeps the meta and facts of the first job only, as one job would have."""
    if len(parts) == 1:
        return parts[0]

    def tagged(name: str) -> pl.DataFrame:
        return pl.concat([p[name].with_columns(pl.lit(k).alias("__job")) for k, p in enumerate(parts)])

    metas, facts = tagged("meta"), tagged("facts")
    owner = metas.group_by("article_id").agg(pl.col("__job").min())  # first job that extracted it
    metas, facts = (df.join(owner, on=["article_id", "__job"], how="semi", maintain_order="left").drop("__job")
                    for df in (metas, facts))
    return {"articles": pl.concat([p["articles"] for p in parts]), "rejects": pl.concat([p["rejects"] for p in parts]),
            "meta": metas, "facts": facts,
            "todo_ids": list(dict.fromkeys(i for p in parts for i in p["todo_ids"])),
            "warnings": [w for p in parts for w in p["warnings"]]}


def process_batch_local(paths: list[str], out_dir: str | os.PathLike, skip_extract: frozenset | set = frozenset(),
                        log=None, workers: int | None = None) -> dict:
    """Read, decode and extract one batch of files; write its Parquet partition
    out_dir/{articles,meta,facts,rejects}.parquet. Articles whose id is in skip_extract
    (content already in the warehouse, e.g. a copy under a new name) are staged but not
    extracted again. A large batch is staged and extracted in the process pool, in jobs of
    pool.CHUNK files (so the calling process, which runs the flow, stays nearly idle).
    Returns counts."""
    from fupin.transforms import pool
    from fupin.transforms.schema import ARTICLE_META, FACT

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    workers = pool.workers() if workers is None else workers
    parts = None
    if workers > 1 and len(paths) >= pool.MIN_PARALLEL:
        parts = pool.map_in_pool(stage_and_extract, pool.split(paths, workers), workers, frozenset(skip_extract))
    if parts is None:
        parts = [stage_and_extract(paths, skip_extract)]
    res = _combine(parts)
    for w in res["warnings"]:
        if log:
            log.warning(w)
    # Write to temporary names, then rename: a partition folder with all four files is complete.
    for name, sch in (("articles", ARTICLE), ("meta", ARTICLE_META), ("facts", FACT), ("rejects", REJECT_STAGED)):
        tmp = out / f".{name}.parquet.tmp"
        conform(res[name], sch).write_parquet(tmp)
        os.replace(tmp, out / f"{name}.parquet")
    return {"partition": str(out), "files": len(paths), "articles": res["articles"].height,
            "unique_articles": len(res["todo_ids"]), "rejects": res["rejects"].height,
            "facts": res["facts"].height}
