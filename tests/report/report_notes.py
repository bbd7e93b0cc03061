"""Titles the report tests read from stand-in notes (conftest.py writes them; markup-sensitive
on purpose: a title such as "Formulas [of deep learning]" must print as written)."""

NOTE_TITLES = {
    "000": "Formulas [of deep learning]",
    "001": "linear regression",
    "002": "Deep Learning",
    "003": "backpropegation",
    "004": "线性代数/矩阵论",
}
