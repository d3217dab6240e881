#!/usr/bin/env python3
"""Builds the page's font: a subset of a Simplified Chinese CJK font (a .ttc/.otf found on the
build machine) holding ASCII, Latin-1, common punctuation and the 3,755 GB2312 level-1 hanzi,
so Chinese host names and the zh-CN UI render without baking 20 MB into anything.

usage: font_subset.py SOURCE FONT_NUMBER OUTPUT"""
import sys
from fontTools import subset


def characters():
    chars = [chr(c) for c in range(0x20, 0x7F)]                      # ASCII
    chars += [chr(c) for c in range(0xA0, 0x100)]                    # Latin-1 (°, ·, ×)
    chars += [chr(c) for c in range(0x2010, 0x2028)]                 # dashes, quotes, …
    chars += [chr(c) for c in range(0x2190, 0x2194)]                 # arrows
    chars += [chr(c) for c in range(0x25A0, 0x25D0)]                 # squares, triangles, circles
    chars += [chr(c) for c in range(0x3000, 0x3040)]                 # CJK punctuation
    chars += [chr(c) for c in range(0xFF01, 0xFF5F)]                 # full-width forms
    for hi in range(0xB0, 0xD8):                                     # GB2312 level 1: rows 16-55
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    source, number, output = sys.argv[1], sys.argv[2], sys.argv[3]
    options = subset.Options()
    options.font_number = int(number)
    options.layout_features = []        # stb_truetype does no shaping: features are dead weight
    options.name_IDs = [1, 2]
    options.notdef_outline = True
    options.hinting = False
    font = subset.load_font(source, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    subset.save_font(font, output, options)


if __name__ == "__main__":
    main()
