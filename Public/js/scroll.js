// Follows new content while the reader is at the bottom, and offers a "scroll to latest" button
// once they scroll up to read: streaming must never yank the page away from what they are reading.
import { prefersReducedMotion } from './dom.js';

const THRESHOLD = 48;

export class ScrollFollower {
  constructor(scroller, content, button) {
    this.scroller = scroller;
    this.button = button;
    this.atBottom = true;
    scroller.addEventListener('scroll', () => this.measure(), { passive: true });
    new ResizeObserver(() => {
      if (this.atBottom) this.scrollToBottom(false);
      else this.measure();
    }).observe(content);
    button?.addEventListener('click', () => this.scrollToBottom(true));
  }

  measure() {
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    this.atBottom = scrollHeight - scrollTop - clientHeight < THRESHOLD;
    if (this.button) this.button.hidden = this.atBottom;
  }

  scrollToBottom(smooth = false) {
    this.atBottom = true;
    if (this.button) this.button.hidden = true;
    this.scroller.scrollTo({ top: this.scroller.scrollHeight, behavior: smooth && !prefersReducedMotion() ? 'smooth' : 'auto' });
  }
}
