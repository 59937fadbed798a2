// How the searchable lists and the checkbox filter match what a person types: every word
// typed must be somewhere in the name, in any order, ignoring case, accents and the
// kind of apostrophe ("st james" finds "St James's", "cafe" finds "Café").

export function folded(text) {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[’‘`]/g, "'")
    .toLocaleLowerCase("en-GB");
}

// The test for one query: null when nothing was typed (everything matches).
export function matcher(query) {
  const words = folded(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  return (text) => {
    const haystack = folded(text);
    return words.every((word) => haystack.includes(word));
  };
}

// Names that start with what was typed come first, then those with a word that does,
// then the rest, each in the list's own order.
export function rank(query, text) {
  const wanted = folded(query).trim();
  const name = folded(text);
  if (name.startsWith(wanted)) return 0;
  return name.split(/\s+/).some((word) => word.startsWith(wanted.split(/\s+/)[0])) ? 1 : 2;
}
