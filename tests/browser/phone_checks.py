"""Checks for a page at phone width, run inside the page through Playwright.

A word broken across two lines ("The / me", "Decemb / er", "0.6 / 6") is unreadable
and is what `overflow-wrap: anywhere` or a squeezed table column does on a phone. The
check walks every visible text node, puts a Range over each word and asks the browser
where it drew it (getClientRects): a word whose pieces sit on more than one line was
broken. Words are split at spaces and at the places a word may properly break (a
hyphen, a dash, a slash, a soft hyphen), so "well-/being" is not a broken word.
Tokens longer than LONG_TOKEN characters (web addresses, email addresses, file
names) are not checked: they may wrap anywhere, or they would push the page sideways.
What a closed <details> holds is opened and checked too.

A chart drawn as SVG must not be shrunk to fit: its words are measured as drawn and
must be at least SMALLEST_CHART_TEXT pixels high.
"""

from __future__ import annotations

from typing import Any

PHONE_WIDTH = 390
LONG_TOKEN = 25
SMALLEST_CHART_TEXT = 11

BROKEN_WORDS = r"""(longToken) => {
  // What a closed <details> holds is checked too: opened, as a person would open it.
  for (const details of document.querySelectorAll("details")) details.open = true;
  // Visually hidden text (for screen readers) is clipped to a pixel; it is not read on screen.
  const clipped = new Map();
  const isClipped = (el) => {
    if (!el || el === document.body) return false;
    if (clipped.has(el)) return clipped.get(el);
    const style = getComputedStyle(el);
    const hidden = style.clipPath.startsWith("inset(50%") || (style.clip !== "auto" && style.clip !== "")
      || isClipped(el.parentElement);
    clipped.set(el, hidden);
    return hidden;
  };
  const skip = "script, style, noscript, template, textarea, option, svg, select";
  const found = [];
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || !el.checkVisibility({visibilityProperty: true}) || isClipped(el)) continue;
    for (const token of node.data.matchAll(/\S+/g)) {
      if (token[0].length > longToken) continue;
      // A word: letters, digits and the punctuation inside them; it may break only at
      // a hyphen, a dash, a slash, a soft hyphen or a zero-width space.
      for (const piece of token[0].matchAll(/[^\-\u00ad\u200b\u2010-\u2015\/]+/g)) {
        const word = piece[0];
        const start = token.index + piece.index;
        if (word.length < 2) continue;
        // Chrome draws the hyphen of a break at a soft hyphen as part of what follows it.
        range.setStart(node, node.data[start - 1] === "\u00ad" ? start + 1 : start);
        range.setEnd(node, start + word.length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        const first = rects[0];
        if (!rects.some((r) => Math.abs(r.top - first.top) > Math.min(r.height, first.height) / 2)) continue;
        const where = el.closest("td, th, li, p, h1, h2, h3, dd, dt, a, span, div") || el;
        const label = where.tagName.toLowerCase() + (where.className ? "." + String(where.className).trim().split(/\s+/).join(".") : "");
        const context = JSON.stringify(where.textContent.trim().replace(/\s+/g, " ").slice(0, 60));
        found.push(`"${word}" is broken across lines, in ${label} (${context})`);
        if (found.length >= 20) return found;
      }
    }
  }
  return found;
}"""


SMALL_CHART_TEXT = r"""(smallest) => [...document.querySelectorAll("svg text")]
  .filter((text) => text.checkVisibility())
  .map((text) => {
    const scale = text.getScreenCTM();
    const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(scale.a, scale.b);
    return [Math.round(size * 10) / 10, text.textContent.trim().slice(0, 40)];
  })
  .filter(([size]) => size < smallest)
  .slice(0, 5)
  .map(([size, words]) => `"${words}" is drawn ${size}px high`)"""


def broken_words(page: Any) -> list[str]:
    """The words the page drew broken across lines, each with where it is."""
    return list(page.evaluate(BROKEN_WORDS, LONG_TOKEN))


def page_width(page: Any) -> int:
    """How wide the page is drawn: wider than the screen means it scrolls sideways."""
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def small_chart_text(page: Any) -> list[str]:
    """Words of a chart drawn smaller than SMALLEST_CHART_TEXT pixels: a chart shrunk."""
    return list(page.evaluate(SMALL_CHART_TEXT, SMALLEST_CHART_TEXT))


def phone_problems(page: Any, where: str) -> list[str]:
    """Everything wrong with the page as a phone draws it: words broken across lines,
    charts shrunk, and the page wider than the screen (measured with every <details>
    open, as the word check leaves them)."""
    found = [f"  {where}: {word}" for word in broken_words(page)]
    found += [f"  {where}: {text}" for text in small_chart_text(page)]
    width = page_width(page)
    if width > PHONE_WIDTH:
        found.append(f"  {where} is {width}px wide on a {PHONE_WIDTH}px phone screen: it scrolls sideways.")
    return found
