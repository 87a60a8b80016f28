"""Word lists and regular expressions behind the hand-made features.

They describe comment spam in general (self-promotion, calls to action, money, link
shorteners, scripted clients), not any one data set: a pattern earns its place only if it
would mean the same thing under a news article as under a music video.
"""

from __future__ import annotations

import re

_MEDIA = (
    r"channel|chanel|videos?|vids?|vlogs?|page|music|songs?|blog|profile|playlist|tracks?|"
    r"covers?|band|website|site|album|mixtape|account|stream|art|shop|store|book|app|game|"
    r"group|raps?|beats?|remix|podcast|instagram|twitter|facebook|youtube|fan ?page|sounds?|"
    r"tunes|mix(?:es)?|films?|movies?|designs?|products?|clothing|brand|business|company"
)

# Words that may stand between "my" and the thing promoted: "my new channel", not "my
# favourite song".
_MEDIA_ADJ = (
    r"new|newest|first|own|latest|official|youtube|music|gaming|little|small|brand|personal|"
    r"free|other|second|cover|rap|dance|online|facebook|instagram|twitter|debut|original|"
    r"\d*bit|short|funny|amazing|awesome|recent"
)

# (name, pattern) pairs searched in the lower-cased comment, URLs replaced by "xurlx".
PROMO_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        (
            "my_media",
            rf"\b(?:my|our)\s+(?:(?:{_MEDIA_ADJ})\s+){{0,2}}(?:{_MEDIA})\b(?!\s+(?:is|was)\b)",
        ),
        (
            "subscribe",
            r"\b(?:sub|subs|sub4sub|subscrib\w*|suscrib\w*|subcrib\w*|subscib\w*|sucscrib\w*|"
            r"subsrib\w*|subscri)\b",
        ),
        (
            # Counting one's own audience ("I have 25000 subscribers", "help me reach 100
            # subs"), not the artist's ("so close to 14,000,000 subscribers").
            "audience_count",
            r"\b(?:i have|i've got|i got|i'm at|i am at|we have|with|my|our|me|get to|reach|hit)\s+"
            r"(?:\w+\s+){0,2}?\d[\d,.]*k?\s*(?:subs|subscribers|followers|fans)\b",
        ),
        (
            "solicit",
            r"\b(?:donate|donations?|fundrais\w*|gofundme|petition|sign up|register now|"
            r"join (?:us|me|my|our))\b",
        ),
        (
            "check_out",
            r"\bcheck(?:ed|ing)?\s*(?:it|this|me|us|him|her|them|my)?\s*out\b"
            r"|\bcheck(?:ed|ing)?\s+(?:out\s+)?(?:my|our)\b",
        ),
        ("visit", r"\b(?:visit|go to|look up|search for|click|head over)\b"),
        (
            "call_to_action",
            r"\b(?:please|plz|pls|kindly)\b.{0,40}\b(?:like|share|subscribe|sub|watch|visit|"
            r"check|follow|vote|help|donate|support|listen|view|comment)\b",
        ),
        ("follow_back", r"\b(?:follow|like|sub)\s*(?:4|for|back)\s*(?:follow|like|sub)?\b"),
        ("like_this", r"\b(?:like|thumbs\s*up)\s+(?:this|if|my)\b"),
        (
            "money",
            r"\b(?:money|cash|earn\w*|income|pay\s?pal|bitcoins?|btc|gift\s*cards?|prizes?|"
            r"dollars?|profit\w*|invest\w*|loans?|discount\w*|cheap|bonus|winner|"
            r"free\s+(?:\w+\s+)?(?:money|gift|cards?|download|entry|iphone)|crypto\w*|forex|"
            r"work from home|make money|binary options)\b"
            r"|[$£€]\s*\d",
        ),
        (
            "self_intro",
            r"\b(?:i'?m|i am|we'?re|we are)\s+(?:a|an)\s+(?:\w+\s+){0,2}?(?:rapper|singer|"
            r"artist|producer|youtuber|musician|gamer|dj|band|songwriter|writer|designer)\b",
        ),
        ("if_i_get", r"\bif\s+(?:i|we)\s+(?:get|reach|hit)\s+\d+"),
        (
            "appeal",
            r"\b(?:i know (?:you|someone|most|u)|sorry (?:for|to) (?:the )?spam|"
            r"take (?:a|1|one) (?:second|sec|minute|min)|give (?:me|us|it) a (?:chance|try)|"
            r"it would mean a lot|means a lot|new to youtube|new youtuber|small youtuber|"
            r"just started)\b",
        ),
        (
            "contact_off_site",
            r"\b(?:whatsapp|telegram|wechat|kik|dm me|link in (?:my )?bio|click (?:here|the link)|"
            r"buy (?:\w+\s+)?(?:followers|likes|views|subscribers)|backlinks?)\b",
        ),
        ("follow_me", r"\b(?:follow|add|message|msg|dm|contact|hit)\s+(?:me|us)\b"),
        ("handle", r"(?:^|\s)[@+][a-z0-9_.]{3,}"),
        (
            "made_media",
            rf"\b(?:i|we)\s+(?:just\s+)?(?:made|created|started|uploaded|posted|released)\s+"
            rf"(?:a|an|my|our|this|some|the)\s+(?:\w+\s+)?(?:{_MEDIA})\b",
        ),
        ("adult", r"\b(?:porn|xxx|nude|naked|webcam|escort|hookup|viagra|sextoy)\b"),
    )
)

# A stricter "like_this" (``FeatureConfig.strict_like``): a request to like a comment, a post
# or a page, "like if...", "like my...", but not "a song like this" or "I like this song".
LIKE_REQUEST = re.compile(r"\b(?:like|thumbs\s*up)\s+(?:this\s+(?:comment|post|page)|if|my)\b")

# Patterns of comments that react to the page itself: the reader talks about "this song",
# "the article", a moment in it ("2:19"), rather than about something elsewhere.
_SUBJECT = (
    r"song|video|vid|clip|article|story|post|piece|track|part|beat|dance|lyrics?|music|"
    r"chorus|ending|singer|band|writer|author|report|interview|photo|picture"
)
REACTION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        (
            "about_this",
            rf"\b(?:this|the|that|her|his|their)\s+(?:\w+\s+)?(?:{_SUBJECT})\s+"
            r"(?:is|was|are|were|has|had|makes?|made|never|always|still|will|gets?|reminds?)\b",
        ),
        ("moment", r"(?<![\d:])\d{1,2}:\d{2}(?![\d:])"),
        (
            "feeling",
            r"\b(?:i|we)\s+(?:\w+\s+)?(?:love|loved|hate|hated|like|miss|remember)\s+"
            r"(?:this|that|the|it|her|his)\b(?!\s+comment)",
        ),
    )
)

# Tokens that by construction are evidence of spam, with the feature block each belongs to.
# Training starts their weights from a positive prior (``prior_margin``, chosen by
# cross-validation) instead of zero: the data can still overrule it, but a pattern seen
# rarely in one site's training data is not left at zero. The context tokens never occur
# in the YouTube training data, so in the shipped model their weight is that prior until a
# site's moderators teach it otherwise.
SPAM_EVIDENCE: tuple[tuple[str, str], ...] = (
    *(("p:" + name, "shape") for name, _ in PROMO_PATTERNS),
    ("s:phone", "shape"),
    ("s:email", "shape"),
    ("l:any", "link"),
    ("l:shortener", "link"),
    ("l:referral", "link"),
    ("a:brand", "author"),
    ("a:self_named", "author"),
    ("x:ua_tool", "context"),
    ("x:author_url_shortener", "context"),
)

# Tokens that by construction are evidence of a genuine comment: a link to the very page
# the comment is on, words shared with the article. They start from minus ``prior_margin``.
HAM_EVIDENCE: tuple[tuple[str, str], ...] = (
    ("l:same_page", "link"),
    ("r:some", "related"),
    *(("q:" + name, "shape") for name, _ in REACTION_PATTERNS),
)

AUTHOR_BRAND = re.compile(
    r"\b(?:music|musiq|tv|official|gaming|games|channel|vevo|records?|productions?|films?|"
    r"studios?|entertainment|media|videos?|beats|crew|band|hd|songs|covers?|rap|mc|dj|"
    r"shop|store|online|com|net|org|marketing|seo|deals?|promo\w*)\b"
)

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
# Seven or more digits in a row, allowing spaces, dots and dashes between groups.
PHONE = re.compile(r"(?<!\w)\+?\d(?:[\s.\-]?\d){6,}(?!\w)")

SHORTENERS = frozenset(
    {
        "bit.ly",
        "goo.gl",
        "tinyurl.com",
        "ow.ly",
        "t.co",
        "is.gd",
        "buff.ly",
        "adf.ly",
        "bitly.com",
        "cutt.ly",
        "rebrand.ly",
        "shorturl.at",
        "tiny.cc",
        "v.gd",
        "lnkd.in",
    }
)
SOCIAL = frozenset(
    {
        "facebook.com",
        "fb.com",
        "twitter.com",
        "x.com",
        "instagram.com",
        "google.com",
        "tumblr.com",
        "soundcloud.com",
        "tiktok.com",
        "vk.com",
        "reddit.com",
    }
)

UA_TOOLS = re.compile(
    r"bot\b|crawl|spider|curl|wget|python|java/|go-http|libwww|scrapy|headless|phantom|"
    r"httpclient|okhttp|perl|ruby|php/|node-fetch|axios"
)

_STOPWORD_TEXT = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also get got like one really much many still even ever well
    way make made know think see say said going want new now time good great love lol xurlx
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
