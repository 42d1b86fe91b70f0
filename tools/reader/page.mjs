// The reading page, run inside Chromium: foliate-js's <foliate-view> with the
// book opened as a Blob, notes shown in a pop-up as Foliate does (its
// FootnoteHandler), and the measures harness.mjs asks for. Nothing here
// decides pass or fail: it reports what the engine shows.
import '/foliate/view.js'
import { FootnoteHandler } from '/foliate/footnotes.js'

const view = document.querySelector('foliate-view')
const popup = document.getElementById('popup')
const footnotes = new FootnoteHandler()
const relocations = []
let lastPopup = null

const NS_EPUB = 'http://www.idpf.org/2007/ops'
const types = el => (el.getAttributeNS(NS_EPUB, 'type') ?? '').split(/\s+/)
const words = text => text.replace(/\s+/g, ' ').trim()
const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))

// Foliate's reader shows a referenced note in a pop-up; a link inside the
// pop-up (the note's back-link) closes it and takes the main view there.
footnotes.addEventListener('before-render', e => {
    const { view: inner } = e.detail
    popup.replaceChildren(inner)
    popup.hidden = false
    inner.renderer.setAttribute('flow', 'scrolled')
    inner.renderer.setAttribute('margin', '12px')
    inner.addEventListener('link', ev => {
        ev.preventDefault()
        closePopup()
        view.goTo(ev.detail.href).catch(err => console.error(err))
    })
})
footnotes.addEventListener('render', e => {
    lastPopup = e.detail
    lastPopup.rendered = true
})

// Closed as a reader closes it; the pop-up's view is closed first, or its
// renderer would still answer the resize of a page no longer there.
const closePopup = () => {
    for (const inner of popup.querySelectorAll('foliate-view')) inner.close()
    popup.hidden = true
    popup.replaceChildren()
}

view.addEventListener('relocate', e => relocations.push(e.detail))
view.addEventListener('link', e => {
    const handled = footnotes.handle(view.book, e)
    handled?.catch(err => console.error(err))
})

const contents = () => view.renderer.getContents()[0]

async function settle() {
    const doc = contents()?.doc
    if (doc) await doc.fonts.ready
    await frame()
}

// -- opening ---------------------------------------------------------------

globalThis.reader = {
    async open(url, flow) {
        const blob = await (await fetch(url)).blob()
        await view.open(new File([blob], 'book.epub', { type: 'application/epub+zip' }))
        view.renderer.setAttribute('flow', flow)
        const { book } = view
        return {
            sections: book.sections.map((s, index) => ({ index, id: s.id, linear: s.linear !== 'no' })),
            pageList: (book.pageList ?? []).map(p => ({ label: p.label, href: p.href })),
            language: book.metadata?.language ?? '',
        }
    },

    // Opens spine item `index` at its start, then goes to its last page:
    // the document paginates when both ends are reached and shown.
    async section(index) {
        relocations.length = 0
        await view.goTo(index)
        await settle()
        const { doc } = contents()
        const r = view.renderer
        const first = visibleText()
        const info = {
            index, pages: r.scrolled ? null : Math.max(0, r.pages - 2),
            relocated: relocations.length > 0,
            chars: words(doc.body?.textContent ?? '').length,
            startsAtStart: startsWith(doc, first),
            firstText: first.slice(0, 80),
        }
        return info
    },

    async sectionEnd(index) {
        await view.renderer.goTo({ index, anchor: 1 })
        await settle()
        const doc = contents().doc
        const last = lastText(doc)
        return { endShown: last === null || isVisible(last, true), lastText: last ? words(last.textContent).slice(-60) : '' }
    },

    layout() {
        const r = view.renderer
        return { scrolled: r.scrolled, size: r.size, columns: r.columnCount ?? 1 }
    },

    // -- checks on the document shown ---------------------------------------

    overflow() {
        const { doc } = contents()
        const box = columnBox(doc)
        const found = []
        for (const el of doc.body.querySelectorAll('*')) {
            if (found.some(f => f.el.contains(el))) continue
            const rects = [...el.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5)
            const worst = Math.max(0, ...rects.map(r => box.overflowX(r)))
            if (worst > 1) found.push({ el, by: Math.round(worst) })
        }
        const root = doc.documentElement
        return {
            elements: found.slice(0, 20).map(({ el, by }) => ({ ...describe(el), by })),
            count: found.length,
            scrollOverflow: box.scrolled ? Math.max(0, root.scrollWidth - root.clientWidth) : 0,
        }
    },

    cut() {
        const { doc } = contents()
        const box = columnBox(doc)
        const out = []
        const items = [...doc.body.querySelectorAll('img, svg, video, table')]
        for (const el of items) {
            const parts = el.localName === 'table' ? [...el.rows] : [el]
            for (const part of parts) {
                const rects = [...part.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5)
                const cut = rects.length === 0 ? 'not drawn'
                    : part === el && el.localName !== 'table' && rects.length > 1 ? 'split across columns'
                    : rects.map(r => box.cut(r)).find(x => x) ?? null
                const broken = el.localName === 'img' && !(el.complete && el.naturalWidth > 0)
                if (cut || broken) out.push({ ...describe(part), cut: cut ?? 'not loaded' })
            }
        }
        return {
            images: items.filter(el => el.localName !== 'table').length,
            tables: items.filter(el => el.localName === 'table').length,
            problems: out.slice(0, 20),
        }
    },

    // The faces the document declares with @font-face, whether they loaded,
    // and which elements to ask Chromium about (the face it really drew with).
    fonts() {
        const { doc } = contents()
        const faces = [...doc.fonts].map(f => ({ family: unquote(f.family), style: f.style, weight: f.weight, status: f.status }))
        const probes = []
        for (const selector of ['p', 'em, i', 'strong, b', 'h1, h2']) {
            const el = [...doc.body.querySelectorAll(selector)].find(e => words(e.textContent).length > 1
                && getComputedStyle(e).display !== 'none')
            if (!el) continue
            const family = unquote(doc.defaultView.getComputedStyle(el).fontFamily.split(',')[0].trim())
            el.setAttribute('data-reader-probe', String(probes.length))
            probes.push({ selector, ...describe(el), family, text: words(el.textContent).slice(0, 40) })
        }
        return { faces, probes }
    },

    probeElement(n) {
        return contents().doc.querySelector(`[data-reader-probe="${n}"]`)
    },

    // -- notes ---------------------------------------------------------------

    noterefs() {
        const { doc } = contents()
        return [...doc.querySelectorAll('a[href]')].filter(a => types(a).includes('noteref') || a.getAttribute('role') === 'doc-noteref')
            .map(a => ({ id: a.id, href: a.getAttribute('href'), text: words(a.textContent) }))
    },

    async goTo(href) {
        relocations.length = 0
        const resolved = await view.goTo(href)
        await settle()
        return !!resolved
    },

    // Where an element of the shown document is, in the page's coordinates,
    // to click it as a reader would; null when it is not on the visible page.
    clickPoint(id) {
        const el = contents().doc.getElementById(id)
        return el ? pointOf(el) : null
    },

    popupShown() {
        return !!(lastPopup?.rendered && !popup.hidden)
    },

    async popupInfo() {
        const inner = lastPopup.view
        await frame()
        const doc = inner.renderer.getContents()[0]?.doc
        const back = doc?.querySelector('a[role~="doc-backlink"], a[href]')
        let point = null
        if (back) {
            const rect = back.getBoundingClientRect()
            const frameRect = doc.defaultView.frameElement.getBoundingClientRect()
            point = { x: frameRect.left + rect.left + rect.width / 2, y: frameRect.top + rect.top + rect.height / 2 }
        }
        const box = popup.getBoundingClientRect()
        return {
            type: lastPopup.type, href: lastPopup.href, hidden: lastPopup.hidden,
            text: words(doc?.body?.textContent ?? ''),
            backHref: back?.getAttribute('href') ?? null, backPoint: point,
            onScreen: box.width > 0 && box.height > 0 && box.bottom <= innerHeight + 1 && box.right <= innerWidth + 1,
        }
    },

    resetPopup() {
        lastPopup = null
        closePopup()
    },

    // The text a note's own element holds in its document, for comparison.
    async targetText(href) {
        const { index, anchor } = view.book.resolveHref(href)
        const doc = await view.book.sections[index].createDocument()
        const el = anchor(doc)
        return el ? words(el.textContent) : null
    },

    // -- landing ---------------------------------------------------------------

    // After going somewhere: is the element with `id` on the visible page,
    // which page label foliate shows there, and the words from the element on.
    landing(id, count = 12) {
        const { doc, index } = contents()
        const el = doc.getElementById(id)
        const last = relocations.at(-1)
        return {
            index, found: !!el, visible: !!el && isVisible(el),
            pageItem: last?.pageItem?.label ?? null,
            text: el ? wordsFrom(doc, el, count) : '',
            elementText: el ? words(el.textContent).slice(0, 80) : '',
            pageBefore: el ? pageBefore(doc, el) : null,
            atStart: !!el && !textBefore(doc, el),
        }
    },

    links(selector) {
        const { doc } = contents()
        return [...doc.querySelectorAll(selector)].map(a => ({
            id: a.id || null, href: a.getAttribute('href'), text: words(a.textContent),
            entry: a.closest('[id]')?.id ?? null,
        }))
    },

    // Shows the n-th element `selector` finds in spine item `index` (links
    // carry no id to go to) and says where to click it.
    async showNth(index, selector, n) {
        relocations.length = 0
        await view.renderer.goTo({ index, anchor: doc => doc.querySelectorAll(selector)[n] })
        await settle()
        const el = contents().doc.querySelectorAll(selector)[n]
        return el ? pointOf(el) : null
    },
}

// -- geometry ----------------------------------------------------------------

// The box text may occupy. Paginated: the columns of the document's multicol
// layout (foliate sets column width, gap and the page height on <html>);
// scrolled: the root's content box, no horizontal scrolling.
function columnBox(doc) {
    const r = view.renderer
    const root = doc.documentElement
    const style = getComputedStyle(root)
    const padL = parseFloat(style.paddingLeft), padR = parseFloat(style.paddingRight)
    if (r.scrolled) {
        const right = root.clientWidth - padR
        return {
            scrolled: true,
            overflowX: rect => Math.max(padL - rect.left, rect.right - right),
            cut: rect => rect.left < padL - 1 || rect.right > right + 1 ? 'cut at the side' : null,
        }
    }
    const size = r.size
    const n = r.columnCount ?? 1
    const gap = parseFloat(style.columnGap)
    const width = (size - padL - padR - (n - 1) * gap) / n
    const pitch = width + gap
    const height = root.clientHeight
    const column = rect => {
        const j = Math.floor((rect.left + rect.width / 2 - padL + gap / 2) / pitch)
        const left = padL + j * pitch
        return { left, right: left + width }
    }
    return {
        scrolled: false,
        overflowX: rect => {
            const c = column(rect)
            return Math.max(c.left - rect.left, rect.right - c.right)
        },
        cut: rect => {
            const c = column(rect)
            if (rect.left < c.left - 1 || rect.right > c.right + 1) return 'cut at the side'
            if (rect.top < -1 || rect.bottom > height + 1) return 'cut at the foot'
            return null
        },
    }
}

// On the page shown: paginated, within the visible page as foliate computes
// it (the view keeps a page's width of room on either side); scrolled, within
// the window.
function isVisible(node, atEnd = false) {
    const rect = atEnd ? rectsOf(node).at(-1) : firstRect(node)
    if (!rect) return false
    const r = view.renderer
    if (r.scrolled) {
        const top = node.ownerDocument.defaultView.frameElement.getBoundingClientRect().top + rect.top
        return top >= -1 && top < innerHeight
    }
    const start = r.start - r.size, end = r.end - r.size
    const x = rect.left + Math.min(rect.width, 1) / 2
    return x >= start - 1 && x < end
}

function pointOf(el) {
    if (!isVisible(el)) return null
    const rect = [...el.getClientRects()].find(r => r.width > 0 && r.height > 0)
    const frameRect = el.ownerDocument.defaultView.frameElement.getBoundingClientRect()
    return { x: frameRect.left + rect.left + rect.width / 2, y: frameRect.top + rect.top + rect.height / 2 }
}

function rectsOf(node) {
    if (node.nodeType === 1) return [...node.getClientRects()]
    const range = node.ownerDocument.createRange()
    range.selectNodeContents(node)
    return [...range.getClientRects()]
}

function firstRect(node) {
    const rects = rectsOf(node)
    return rects.find(x => x.width > 0 || x.height > 0) ?? rects[0] ?? null
}

function startsWith(doc, text) {
    const all = words(doc.body?.textContent ?? '')
    return !text || all.startsWith(text.slice(0, 40))
}

function visibleText() {
    const range = relocations.at(-1)?.range
    return range ? words(range.toString()) : ''
}

// The last text a reader can see (hidden text, the nav's page-list, left out).
function lastText(doc) {
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT)
    let last = null
    for (let n = walker.nextNode(); n; n = walker.nextNode())
        if (n.nodeValue.trim() && rectsOf(n).some(r => r.width > 0)) last = n
    return last
}

// The text from an element on, as a reader meets it: text nodes joined as
// they are, a space where a block begins.
function wordsFrom(doc, el, count) {
    const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT)
    let out = '', block = null
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!(el.contains(n) || el.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING)) continue
        const here = blockOf(n)
        out += (here !== block ? ' ' : '') + n.nodeValue
        block = here
        if (out.split(/\s+/).filter(Boolean).length > count) break
    }
    return out.split(/\s+/).filter(Boolean).slice(0, count).join(' ')
}

function textBefore(doc, el) {
    const range = doc.createRange()
    range.setStart(doc.body, 0)
    range.setEndBefore(el)
    return range.toString().trim()
}

function blockOf(node) {
    let el = node.parentElement
    const win = node.ownerDocument.defaultView
    while (el && win.getComputedStyle(el).display.startsWith('inline')) el = el.parentElement
    return el
}

// The print page a point of the document falls on: the last page-break
// marker before it in the document, null when none comes before.
function pageBefore(doc, el) {
    let page = null
    for (const marker of doc.querySelectorAll('[role~="doc-pagebreak"], [*|type~="pagebreak"]')) {
        if (marker === el || marker.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
            page = marker.getAttribute('aria-label') ?? marker.getAttribute('title')
        else break
    }
    return page
}

function describe(el) {
    return { tag: el.localName, id: el.id || el.closest('[id]')?.id || null, class: el.getAttribute('class') || null }
}

function unquote(s) {
    return s.replace(/^["']|["']$/g, '')
}
