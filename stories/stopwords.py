"""Stop words of the languages tickers are written in, one literal set per language.

Kept short on purpose: the words that carry no event in a headline (articles, pronouns,
auxiliaries, prepositions, conjunctions, the commonest adverbs). Rarity across the desk
window demotes whatever common word these lists miss, so they need not be complete.
Written without accents; :mod:`stories.normalize` folds them like the text.
"""

from __future__ import annotations

_DE = """
der die das den dem des ein eine einer eines einem einen und oder aber doch sondern denn
nicht kein keine keinen keiner keinem auch noch schon nur sehr mehr als wie so zu zum zur
im in ins am an auf aus bei mit nach von vom vor fur uber unter um durch gegen ohne bis seit
wahrend wegen zwischen ab hinter neben ist sind war waren wird werden wurde wurden worden
hat haben hatte hatten habe sein seine seiner seinen seinem ihre ihr ihren ihrem ihrer er sie
es wir ihr man sich dass da dort hier wo was wer wann ob wenn weil nun jetzt soll sollen
kann konnen konnte muss mussen will wollen dies diese dieser dieses diesem diesen jede jeder
jedes alle allen aller etwa rund laut bereits weiter weitere weiteren neue neuen neuer neues
erst erste ersten zwei drei uber
"""
_EN = """
the a an and or but not no nor of to in on at by for from with without into onto over under
after before about as is are was were be been being has have had do does did will would
shall should can could may might must it its this that these those he she they we you i his
her their our your them him us who whom which what when where why how than then there here
also just only more most very up out off again new says said say after amid over
"""
_FR = """
le la les un une des du de d l et ou mais ne pas plus que qui quoi dont ou au aux en dans
par pour sur sous avec sans chez vers entre apres avant depuis pendant contre est sont etait
ete etre a ont avait avaient sera seront fait faire il elle ils elles on nous vous je se
sa son ses leur leurs ce cet cette ces y lui meme aussi tres deja encore selon
"""
_ES = """
el la los las un una unos unas y o pero no ni de del al a en por para con sin sobre entre
hasta desde tras es son fue fueron era ser sido ha han habia se su sus lo le les que quien
cual como cuando donde mas muy tambien ya este esta estos estas ese esa
"""
_IT = """
il lo la i gli le un uno una e o ma non ne di del della dei delle degli al alla ai alle a da
dal dalla in nel nella nei su sul sulla per con tra fra che chi cui come quando dove piu
molto anche gia e sono era erano stato stata ha hanno aveva si suo sua suoi sue questo questa
"""

STOP_WORDS_RAW: frozenset[str] = frozenset(
    word for block in (_DE, _EN, _FR, _ES, _IT) for word in block.split()
)
