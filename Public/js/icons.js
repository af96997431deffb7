// Icons come from the same SVG sprite the server-rendered markup uses.
const SVG_NS = 'http://www.w3.org/2000/svg';
const SPRITE = '/public/icons.svg';

export function icon(name, extraClass = '') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', extraClass ? `icon ${extraClass}` : 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const use = document.createElementNS(SVG_NS, 'use');
  use.setAttribute('href', `${SPRITE}#i-${name}`);
  svg.append(use);
  return svg;
}
