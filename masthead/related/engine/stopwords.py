"""English stop-words for the related-stories analyser.

Function words, auxiliaries, pronouns and the reporting verbs and fillers that every
news story uses ("said", "told", "year"), which link any story to any other.
"""

from __future__ import annotations

_FUNCTION_WORDS = """
a about above across after afterwards again against all almost alone along already also
although always am among amongst an and another any anybody anyhow anyone anything
anyway anywhere are around as at be became because become becomes becoming been before
beforehand behind being below beside besides between beyond both but by can cannot could
did do does doing done down during each either else elsewhere enough etc even ever every
everybody everyone everything everywhere except few for former formerly from further had
has have having he hence her here hereafter hereby herein hers herself him himself his how
however i ie if in indeed instead into is it its itself just least less many may me
meanwhile might mine more moreover most mostly much must my myself namely neither never
nevertheless next no nobody none noone nor not nothing now nowhere of off often on once
one only onto or other others otherwise our ours ourselves out over own per perhaps
please quite rather re same several she should since so some somebody somehow someone
something sometime sometimes somewhere still such than that the their theirs them
themselves then thence there thereafter thereby therefore therein thereupon these they
this those though through throughout thru thus to together too toward towards under
until up upon us very via was we well were what whatever when whence whenever where
whereafter whereas whereby wherein whereupon wherever whether which while whither who
whoever whole whom whose why will with within without would yet you your yours yourself
yourselves
"""

_NEWS_FILLER = """
according added adding also announced asked back being came come comes coming
day days did get gets getting give given gives go goes going gone got just know
known last later like likely look looking made make makes making many mr mrs ms
new news now people put really reported said say saying says see seen set show
shows take taken takes taking tell think thought time times told took use used
uses using want wanted wants way week weeks went year years yesterday today
told including include includes included
"""

_CONTRACTION_PARTS = "s t d ll m ve re don doesn didn isn wasn weren aren couldn wouldn shouldn"

FUNCTION_WORDS: frozenset[str] = frozenset(_FUNCTION_WORDS.split())
STOP_WORDS: frozenset[str] = frozenset(
    (_FUNCTION_WORDS + _NEWS_FILLER + _CONTRACTION_PARTS).split()
)
