"""Words news tickers use for one kind of event, each read as one word of the kind.

Competitors name the same fire a "fire" and a "blaze", "Brand" and "Feuer", the same
strike "grève" and "débrayage": besides the place, the event's kind is the word two
reports of it most often share. :mod:`stories.normalize` folds and stems both sides
like the text, so a word here stands for its inflected forms as well.

Tokens carry no language, so a word is left out where its key is another language's
word too: "feu" (a traffic light, a gunshot), "Beben" (folds like French "bébé").
French fire words read as German "Brand", since "flammes" and "Flammen" fold alike.
Rarity across the desk's window still weighs the shared word: two fires in two towns
share it as they shared "fire" before, and their places still tell them apart.
"""

from __future__ import annotations

SAME_KIND: dict[str, str] = {
    # English
    "blaze": "fire",
    "inferno": "fire",
    "flames": "fire",
    "earthquake": "quake",
    "tremor": "quake",
    "blast": "explosion",
    "walkout": "strike",
    # German
    "Feuer": "Brand",
    "Flammen": "Brand",
    "Detonation": "Explosion",
    "Ausstand": "Streik",
    "Arbeitsniederlegung": "Streik",
    "Überschwemmung": "Hochwasser",
    # French
    "incendie": "Brand",
    "brasier": "Brand",
    "tremblement": "séisme",
    "débrayage": "grève",
    "crue": "inondation",  # "grand cru" folds alike, seldom news
}
