"""Bytes -> article text: detect the encoding, decode, and refuse what is not article text.
Pure (no file access): flows/stage.py reads the files and calls these.

* Offsets everywhere are Python ``str`` indices into the decoded text. A UTF-8 BOM is
  stripped (``utf-8-sig``); nothing else is changed (CRLF stays).
* Encodings: BOM first (UTF-8, UTF-16 LE/BE, UTF-32), then strict UTF-8, then GB18030 and
  Big5 (cp950) are both tried and the decoding whose characters are most often common
  Chinese characters wins (a wrong legacy decoding yields rare characters).
* Truncated UTF-8 (a file cut inside its last multi-byte character) is decoded with the
  incomplete last character replaced by U+FFFD: every earlier offset is unaffected.
* An HTML page saved as .txt is not article text (``html``): stripping tags would make the
  offsets point into text that is not the file. flows/stage.py then reads it as a page
  (flows/readers.py: its main text becomes the article's text).
"""
from __future__ import annotations

import codecs
import re

class StageError(Exception):
    """A file that cannot be staged; reason is a short code, detail a sentence."""

    def __init__(self, reason: str, detail: str, content_hash: str | None = None, size: int | None = None):
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail, self.content_hash, self.size = reason, detail, content_hash, size


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
