// A strip that scrolls sideways on a narrow screen (the tab bar): a box around it
// fades the edge that has more to see, and the strip starts scrolled to its active item.
import { h } from './dom.js';

/** The fades' width in px (phone.css): an item under a fade counts as out of view. */
const FADE = 32;

/** Wraps `strip` (overflow-x: auto) in a `.scroll-cue` box whose classes more-start / more-end show the fades. */
export function scrollCue(strip, boxClass = '') {
  const box = h('div', { class: `scroll-cue ${boxClass}` }, strip);
  const update = () => {
    const rest = strip.scrollWidth - strip.clientWidth - strip.scrollLeft;
    box.classList.toggle('more-start', strip.scrollLeft > 1);
    box.classList.toggle('more-end', rest > 1);
  };
  strip.addEventListener('scroll', update, { passive: true });
  // Also fires once the strip is laid out, and again when the screen turns.
  new ResizeObserver(() => {
    const active = strip.querySelector('.active');
    if (active) {
      const s = strip.getBoundingClientRect(), a = active.getBoundingClientRect();
      if (a.left < s.left + FADE || a.right > s.right - FADE) strip.scrollLeft += a.left - s.left - (s.width - a.width) / 2;
    }
    update();
  }).observe(strip);
  return box;
}
