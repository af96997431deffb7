"""Hostile text, sent by the user and echoed back by the model, must execute nothing.

Three independent signals: a window flag the payloads try to set, a CSP violation listener
(anything our sanitising let through would at least trip the policy), and the DOM itself
(no script elements, no event handler attributes, no javascript: links in any message).
"""

import pytest

from e2e.helpers import assistant_messages, chat_id_from_url, one, open_page, send, wait_answer

CORPUS = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    "<svg onload=window.__pwned=3>",
    '<a href="javascript:window.__pwned=4">click me</a>',
    "[markdown link](javascript:window.__pwned=5)",
    "[data link](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD02PC9zY3JpcHQ+)",
    '"><img src=x onerror=window.__pwned=7>',
    "'\u0301><img src=x onerror=window.__pwned=8>",
    '"\u0301 onmouseover="window.__pwned=9" x="',
    "<iframe srcdoc=\"<script>parent.__pwned=10</script>\"></iframe>",
    "<details open ontoggle=window.__pwned=11>",
    "```\n</code></pre><img src=x onerror=window.__pwned=12>\n```",
    "<style>body{display:none}</style><form action=javascript:window.__pwned=13><button>go</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=14>",
]

PROBE = """
window.__violations = window.__violations || [];
if (!window.__listening) {
  window.__listening = true;
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
}
window.alert = window.confirm = window.prompt = () => { window.__pwned = 'dialog'; };
"""

CHECK = """
const list = document.getElementById('message-list');
const bad = [];
for (const el of list.querySelectorAll('*')) {
  if (['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'STYLE', 'FORM', 'IMG'].includes(el.tagName)) bad.push('tag ' + el.tagName);
  for (const attr of el.attributes) {
    if (/^on/i.test(attr.name)) bad.push('attr ' + attr.name);
    if (/^\\s*(javascript|data|vbscript):/i.test(attr.value) && ['href', 'src', 'action', 'formaction'].includes(attr.name)) bad.push('url ' + attr.value);
  }
}
return {pwned: window.__pwned ?? null, violations: window.__violations ?? [], bad,
        bodyVisible: getComputedStyle(document.body).display !== 'none'};
"""


def check(driver):
    result = driver.execute_script(CHECK)
    assert result["pwned"] is None, result
    assert result["violations"] == [], result
    assert result["bad"] == [], result
    assert result["bodyVisible"], result


@pytest.mark.parametrize("chunk", [CORPUS[:7], CORPUS[7:]], ids=["part1", "part2"])
def test_hostile_text_executes_nothing(browser, base_url, chunk):
    open_page(browser, base_url, "/")
    browser.execute_script(PROBE)
    count = 0
    for payload in chunk:
        send(browser, payload, keys=False)
        wait_answer(browser, count)
        count += 1
        check(browser)
    # The user's own text is shown literally.
    assert chunk[0] in one(browser, "#message-list article.message-user .user-bubble").text
    # Stored messages and the server-rendered page (title) are just as inert after a reload.
    chat_id = chat_id_from_url(browser)
    open_page(browser, base_url, f"/chat/{chat_id}")
    browser.execute_script(PROBE)
    wait_answer(browser, len(chunk) - 1)
    assert len(assistant_messages(browser)) == len(chunk)
    check(browser)
