"""The browser modules' pure parts, run inside Chromium (no Node here): history grouping, the
SSE reader, chunk application and the Markdown renderer's safety rules."""

from e2e.helpers import open_page


def run(driver, body):
    """Runs an async function body in the page with the app's modules; returns its result."""
    driver.set_script_timeout(20)
    return driver.execute_async_script(
        f"""
        const done = arguments[arguments.length - 1];
        (async () => {{ {body} }})().then(done, (error) => done({{error: String(error && error.stack || error)}}));
        """
    )


def test_history_groups_by_calendar_day(browser, base_url):
    open_page(browser, base_url, "/")
    result = run(browser, """
        const { groupFor } = await import('/public/js/history-groups.js');
        const now = new Date(2026, 4, 15, 0, 10);
        const at = (d, h = 12) => new Date(2026, 4, d, h).toISOString();
        return [groupFor(at(15, 0), now), groupFor(new Date(2026, 4, 14, 23, 50).toISOString(), now), groupFor(at(10), now),
                groupFor(at(1), now), groupFor(new Date(2026, 0, 1).toISOString(), now), groupFor('garbage', now)];
    """)
    assert result == ["Today", "Yesterday", "Last 7 days", "Last 30 days", "Older", "Today"]


def test_sse_reader_handles_split_chunks_crlf_and_done(browser, base_url):
    open_page(browser, base_url, "/")
    result = run(browser, """
        const { readEventStream } = await import('/public/js/sse.js');
        const wire = 'id: 0\\r\\ndata: {"type":"start","messageId":"m"}\\r\\n\\r\\n: keep-alive\\n\\nid: 1\\ndata: {"type":"text-delta","id":"t","delta":"h\\u00e9"}\\n\\ndata: not json\\n\\ndata: [DONE]\\n\\n';
        const bytes = new TextEncoder().encode(wire);
        // Deliver one byte at a time: every boundary, even inside a UTF-8 character, must be handled.
        const body = new ReadableStream({ start(c) { for (const b of bytes) c.enqueue(new Uint8Array([b])); c.close(); } });
        const seen = [];
        const result = await readEventStream(new Response(body), (chunk, id) => seen.push([chunk.type, id, chunk.delta ?? null]));
        return { seen, result };
    """)
    assert result["seen"] == [["start", "0", None], ["text-delta", "1", "hé"]]
    assert result["result"] == {"done": True, "lastEventId": "1"}


def test_chunks_build_the_message(browser, base_url):
    open_page(browser, base_url, "/")
    result = run(browser, """
        const { applyChunk, newAssistantMessage, textOf } = await import('/public/js/chat-state.js');
        const m = newAssistantMessage('a', 'model');
        for (const c of [{type: 'start-step'}, {type: 'reasoning-start', id: 'r'}, {type: 'reasoning-delta', id: 'r', delta: 'hmm'},
                         {type: 'reasoning-end', id: 'r'}, {type: 'text-start', id: 't'}, {type: 'text-delta', id: 't', delta: 'Hel'},
                         {type: 'text-delta', id: 't', delta: 'lo'}, {type: 'abort'}, {type: 'finish', finishReason: 'stop'}]) applyChunk(m, c);
        return { text: textOf(m), reasoning: textOf(m, 'reasoning'), status: m.metadata.status, states: m.parts.map(p => p.state ?? null) };
    """)
    assert result == {"text": "Hello", "reasoning": "hmm", "status": "stopped", "states": [None, "done", "done"]}


def test_markdown_renders_structure_and_keeps_it_inert(browser, base_url):
    open_page(browser, base_url, "/")
    result = run(browser, """
        const md = await import('/public/js/markdown.js');
        await md.loadMarkdown();
        const render = (text) => { const div = document.createElement('div'); div.append(md.renderMarkdown(text)); return div; };
        const rich = render('# T\\n\\n**b** *i* `c` ~~d~~\\n\\n1. x\\n2. y\\n\\n| a | b |\\n|:-:|--:|\\n| 1 | 2 |\\n\\n```js\\nlet a = 1 < 2;\\n```\\n\\n[ok](https://example.com "t") [mail](mailto:a@b.c)');
        const evil = render('<script>x()</script>\\n\\nSee <img src=x onerror=y()> [a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](data:text/html,x) ![i](https://example.com/p.png) <a href="javascript:z()">z</a>');
        return {
          tags: [...rich.querySelectorAll('*')].map(e => e.tagName.toLowerCase()).filter((t, i, a) => a.indexOf(t) === i).sort(),
          code: rich.querySelector('pre code').textContent, lang: rich.querySelector('.code-lang').textContent,
          align: [...rich.querySelectorAll('th')].map(e => e.dataset.align),
          links: [...rich.querySelectorAll('a')].map(a => [a.getAttribute('href'), a.rel, a.target]),
          evilElements: [...evil.querySelectorAll('*')].map(e => e.tagName.toLowerCase()),
          evilHrefs: [...evil.querySelectorAll('[href]')].map(e => e.getAttribute('href')),
          evilText: evil.textContent,
        };
    """)
    assert "error" not in result, result
    for tag in ["h1", "strong", "em", "code", "del", "ol", "li", "table", "th", "td", "pre", "a", "figure", "button"]:
        assert tag in result["tags"], tag
    assert result["code"] == "let a = 1 < 2;"
    assert result["lang"] == "js"
    assert result["align"] == ["center", "right"]
    assert result["links"] == [["https://example.com", "noopener noreferrer nofollow", "_blank"], ["mailto:a@b.c", "noopener noreferrer nofollow", "_blank"]]
    # Raw HTML stays text; unsafe links lose their target; the image is only a link to itself.
    assert set(result["evilElements"]) <= {"p", "a"}
    assert result["evilHrefs"] == ["https://example.com/p.png"]
    assert "<script>x()</script>" in result["evilText"]
