"""The text tables Keras 3 prints through the rich library (``Model.summary()``), laid out as
rich lays them out, without rich:

- the table is ``line_length`` wide; each column asks for its width plus one space of padding
  on each side, at most the room inside the borders; when the columns ask for more than that,
  the excess is taken from all columns evenly (the first columns give the rounded-up shares);
  columns asking for less than the room grow in proportion to their widths;
- a cell's text wraps at word boundaries (a word keeps the spaces after it); a word longer than
  the column ends in an ellipsis; left-aligned text keeps its spaces, right-aligned and centred
  text is stripped first; header cells sit at the bottom of the header row, others at the top;
- the console (80 columns unless COLUMNS or a terminal says otherwise) crops wider lines.
"""

import math
import os
import re

_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


def console_width():
    """The width rich's console takes: a terminal on stdin, stdout or stderr, COLUMNS over it,
    else 80."""
    width = None
    for fd in (0, 1, 2):
        try:
            width = os.get_terminal_size(fd).columns
            break
        except (AttributeError, ValueError, OSError):
            continue
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        width = int(columns)
    return width or 80


def _breaks(text, width):
    """Where ``text`` breaks into lines of ``width``: before each word that does not fit."""
    breaks, used = [], 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        size = len(word.rstrip())
        if width - used >= size:
            used += len(word)
        elif size > width or used:
            if start:
                breaks.append(start)
            used = len(word)
    return breaks


def _split(text, width):
    cuts = [0] + _breaks(text, width) + [len(text)]
    lines = [text[a:b] for a, b in zip(cuts, cuts[1:])] or [""]
    out = []
    for line in lines:
        if len(line) > width:  # spaces past the end go first
            spaces = _TRAILING_SPACE.search(line)
            if spaces is not None:
                line = line[:len(line) - min(len(spaces.group()), len(line) - width)]
        out.append(line)
    return out


def _fit(line, width):
    return line if len(line) <= width else line[:max(width - 1, 0)] + "…"


def wrap_text(text, width, align=None):
    """``text`` wrapped to ``width``: padded to it when aligned ("l", "r" or "c")."""
    lines = []
    for line in _split(text, width):
        if align is None:
            lines.append(_fit(line, width))
        elif align == "l":
            lines.append(_fit(line, width).ljust(width))
        else:
            line = _fit(line.rstrip(), width)
            left = width - len(line) if align == "r" else (width - len(line)) // 2
            lines.append((" " * left + line).ljust(width))
    return lines


def column_widths(widths, line_length):
    """The widths (padding included, borders not) of columns asking for ``widths`` characters
    of text in a table ``line_length`` wide."""
    room = line_length - (len(widths) + 1)  # the borders take one character each
    asked = [max(min(w + 2, room), 0) or 1 for w in widths]
    excess = sum(asked) - room
    if excess < 0:  # a table given its width fills it: the room left shared by width
        return _share_out(-excess, asked)
    if excess == 0:
        return asked
    out, shares = [], sum(1 for w in asked if w)
    for w in asked:
        if w and shares:
            cut = min(w, round(excess / shares))
            excess -= cut
            shares -= 1
            w -= cut
        out.append(w if room >= 1 and w >= 1 else 0)
    return out


def _share_out(room, widths):
    """``widths``, each grown by its share of ``room`` in proportion to it (shares rounded up,
    the last ones getting what is left)."""
    out, total = [], sum(widths)
    for w in widths:
        share = math.ceil(w * room / total) if total > 0 else room
        out.append(w + share)
        total -= w
        room -= share
    return out


def _cells(texts, widths, align, bottom):
    columns = [wrap_text(t, max(w - 2, 0), a) for t, w, a in zip(texts, widths, align)]
    height = max(len(c) for c in columns)
    out = []
    for lines, w in zip(columns, widths):
        blank = [" " * max(w - 2, 0)] * (height - len(lines))
        lines = blank + lines if bottom else lines + blank
        out.append([f" {line} "[:w] if w >= 2 else " " * w for line in lines])
    return [list(row) for row in zip(*out)]


def render_table(header, rows, widths, align, line_length):
    """The lines of a table with a heavy header and lines between rows (Keras's summary)."""
    widths = column_widths(widths, line_length)

    def rule(left, mid, right, fill):
        return left + mid.join(fill * w for w in widths) + right

    lines = [rule("┏", "┳", "┓", "━")]
    lines += ["┃" + "┃".join(row) + "┃" for row in _cells(header, widths, align, True)]
    lines.append(rule("┡", "╇", "┩", "━"))
    for i, cells in enumerate(rows):
        if i:
            lines.append(rule("├", "┼", "┤", "─"))
        lines += ["│" + "│".join(row) + "│" for row in _cells(cells, widths, align, False)]
    lines.append(rule("└", "┴", "┘", "─"))
    return lines
