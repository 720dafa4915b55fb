"""What a statement announces with no «أن»: the event told as a verbal noun.

«أعلنت وزارة الداخلية ضبط 500 كيلوغرام», «أكد الجيش مقتل 15 مسلحا», «أفاد مصدر طبي بمقتل
ثلاثة», «أعلنت القوات سيطرتها على ...»: the verb of saying, then the event's noun.
"""

from __future__ import annotations

from geo.text.normalize import normalize

# Verbs that announce an event by its verbal noun, with no «أن»: «أعلنت وزارة الداخلية ضبط 500
# كيلوغرام», «أكد الجيش مقتل 15 مسلحا», «أفاد مصدر طبي بمقتل ثلاثة» (normalized).
DENYING = frozenset(normalize(w) for w in "نفى نفت نفوا كذب كذبت كذبوا دحض دحضت فند فندت".split())
ANNOUNCING = frozenset(normalize(w) for w in (
    "أعلن أعلنت أعلنوا أكد أكدت أكدوا ذكر ذكرت أفاد أفادت أفادوا أورد أوردت رصد رصدت "
    "نقلت نقل وثقت وثق أحصت أحصى تبنى تبنت").split()) | DENYING     # «نفى العميد وجود مسلحين»: what is denied
# The verbal nouns that tell an event as what was announced (normalized; «ب» allowed before them).
EVENT_NOUNS = frozenset(normalize(w) for w in (
    "مقتل مصرع سقوط وقوع إصابة اصابة ضبط القبض اعتقال توقيف انتشال اختطاف خطف تحرير إحباط "
    "مصادرة حجز تدمير استهداف شن تنفيذ سيطرة السيطرة وصول دخول انسحاب فرار هروب نشر إرسال تفكيك إطلاق "
    "إنقاذ اعتراض ترحيل غرق اندلاع تعرض تسلل مداهمة تصفية استعادة وجود تواجد تمركز حصيلة تحييد "
    "هجوم هجوما الهجوم تفجير التفجير").split())     # «تبنى التنظيم الهجوم»: the act claimed


def event_noun(token: str) -> bool:
    """An event told as a verbal noun («ضبط», «بمقتل», «وقوع»), the token normalized."""
    if token[:1] == "ب":
        token = token[1:]
    if token in EVENT_NOUNS:
        return True
    # «سيطرتها», «مقتلهم»: the noun with its owner («أعلنت القوات سيطرتها على ...»)
    bare = next((token[:-len(end)] for end in ("هما", "هم", "ها", "ه") if token.endswith(end)), "")
    return len(bare) > 2 and (bare in EVENT_NOUNS or bare[-1] == "ت" and bare[:-1] + "ه" in EVENT_NOUNS)
