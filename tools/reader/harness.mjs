// Reads an EPUB in a real reading engine (foliate-js) in headless Chromium
// and reports what a reader meets, as JSON; tests/reading.py judges it.
//
//   node harness.mjs --epub BOOK.epub --out DIR [--plan PLAN.json]
//
// PLAN (all optional): {"pages": ["12", "450"], "modes": ["phone", "tablet",
// "scrolled"], "notes": 8, "index_links": 12, "index_xrefs": 4,
// "glossary_links": 6}: the print pages to go to from the page-list, and how
// many notes, index locators and cross-references, and glossary links to follow. Writes DIR/report.json and
// screenshots (DIR/<mode>-NN-<document>.png, DIR/note-popup.png, DIR/index.png).
//
// A small static server on 127.0.0.1 (a port the system picks) serves
// foliate-js, the reading page (page.html, page.mjs) and the book; Chromium
// is Debian's, driven by puppeteer-core; no network beyond the loopback.
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import puppeteer from 'puppeteer-core'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const FOLIATE = path.join(HERE, 'node_modules', 'foliate-js')
const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium'
const MODES = {
    phone: { width: 360, height: 640, flow: 'paginated' },
    tablet: { width: 768, height: 1024, flow: 'paginated' },
    scrolled: { width: 360, height: 640, flow: 'scrolled' },
}
const TYPES = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.css': 'text/css' }

function args() {
    const out = {}
    const argv = process.argv.slice(2)
    for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1]
    if (!out.epub || !out.out) {
        console.error('usage: node harness.mjs --epub BOOK.epub --out DIR [--plan PLAN.json]')
        process.exit(2)
    }
    return out
}

// Serves only what the page needs: nothing outside foliate-js, this folder's
// page and the one book.
function serve(epub) {
    const server = http.createServer((req, res) => {
        const url = new URL(req.url, 'http://127.0.0.1')
        let file = null
        if (url.pathname === '/') file = path.join(HERE, 'page.html')
        else if (url.pathname === '/page.mjs') file = path.join(HERE, 'page.mjs')
        else if (url.pathname === '/book.epub') file = epub
        else if (url.pathname.startsWith('/foliate/')) {
            const inner = path.normalize(path.join(FOLIATE, url.pathname.slice('/foliate/'.length)))
            if (inner.startsWith(FOLIATE + path.sep)) file = inner
        }
        if (url.pathname === '/favicon.ico') {
            res.writeHead(204).end()
            return
        }
        if (!file || !fs.existsSync(file)) {
            res.writeHead(404).end()
            return
        }
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' })
        fs.createReadStream(file).pipe(res)
    })
    return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const slug = s => s.replace(/\.x?html$/, '').replace(/[^\w-]+/g, '-').slice(0, 40)

async function openReader(browser, base, mode, errors) {
    const page = await browser.newPage()
    await page.setViewport({ width: mode.width, height: mode.height, deviceScaleFactor: 1 })
    const note = (kind, text) => {
        const same = errors.find(e => e.kind === kind && e.text === text)
        if (same) same.count += 1
        else errors.push({ mode: mode.name, kind, text, count: 1 })
    }
    page.on('pageerror', e => note('pageerror', String(e.message ?? e).slice(0, 300)))
    page.on('console', m => {
        if (m.type() === 'error' || m.type() === 'warn') note(m.type(), m.text().slice(0, 300))
    })
    await page.goto(`${base}/`, { waitUntil: 'load' })
    await page.waitForFunction(() => globalThis.reader, { timeout: 20000 }).catch(() => {
        throw new Error(`the reading page did not start: ${JSON.stringify(errors.slice(-3))}`)
    })
    const book = await page.evaluate((flow) => reader.open('/book.epub', flow), mode.flow)
    return { page, book }
}

// The face Chromium really drew each probed element's text with.
// (Remote objects belong to one DevTools session: the element is looked up
// in this session, not handed over from puppeteer's.)
async function platformFonts(client, n) {
    const { result } = await client.send('Runtime.evaluate', { expression: `reader.probeElement(${n})` })
    try {
        const { node } = await client.send('DOM.describeNode', { objectId: result.objectId })
        const { nodeIds } = await client.send('DOM.pushNodesByBackendIdsToFrontend', { backendNodeIds: [node.backendNodeId] })
        const { fonts } = await client.send('CSS.getPlatformFontsForNode', { nodeId: nodeIds[0] })
        return fonts
    } finally {
        await client.send('Runtime.releaseObject', { objectId: result.objectId })
    }
}

// What later checks need from each document, gathered while it is open.
const found = new Map()

async function checkDocuments(page, client, mode, book, out, report) {
    const docs = []
    for (const section of book.sections) {
        const started = Date.now()
        const name = section.id.split('/').pop()
        const doc = { index: section.index, name, linear: section.linear }
        try {
            Object.assign(doc, await page.evaluate(i => reader.section(i), section.index))
            doc.overflow = await page.evaluate(() => reader.overflow())
            doc.cut = await page.evaluate(() => reader.cut())
            if (mode.flow === 'paginated') {
                doc.screenshot = `${mode.name}-${String(section.index).padStart(2, '0')}-${slug(name)}.png`
                await page.screenshot({ path: path.join(out, doc.screenshot) })
            }
            if (mode.name === 'phone') {
                found.set(section.index, {
                    noterefs: await page.evaluate(() => reader.noterefs()),
                    glossary: await page.evaluate(() => reader.links('a.glossary-link')),
                })
                doc.fonts = await page.evaluate(() => reader.fonts())
                for (const [n, probe] of doc.fonts.probes.entries()) probe.platform = await platformFonts(client, n)
            }
            Object.assign(doc, await page.evaluate(i => reader.sectionEnd(i), section.index))
        } catch (e) {
            doc.error = String(e.message ?? e).slice(0, 300)
        }
        doc.ms = Date.now() - started
        docs.push(doc)
    }
    report.documents = docs
}

async function click(page, point) {
    await page.mouse.click(point.x, point.y)
}

// Notes spread over the documents that call them, `plan.notes` in all: each
// reference is clicked; its pop-up must show the note; the pop-up's
// back-link must bring the reference back into view.
async function checkNotes(page, book, plan, out, report) {
    const all = book.sections.flatMap(section => (found.get(section.index)?.noterefs ?? [])
        .map((ref, n, refs) => ({ section, ref, first: n === 0, last: n === refs.length - 1 })))
    const firsts = all.filter(x => x.first)
    const picks = firsts.length >= plan.notes ? spread(firsts.length, plan.notes).map(i => firsts[i])
        : spread(all.length, plan.notes).map(i => all[i])
    const results = []
    let shot = false
    for (const { section, ref } of picks) {
        const result = { document: section.id.split('/').pop(), ref: ref.id, href: ref.href, mark: ref.text }
        try {
            await page.evaluate(h => reader.goTo(h), `${section.id}#${ref.id}`)
            await page.evaluate(() => reader.resetPopup())
            const point = await page.evaluate(id => reader.clickPoint(id), ref.id)
            result.refVisible = !!point
            if (!point) throw new Error('the reference is not on the page shown')
            await click(page, point)
            await page.waitForFunction(() => reader.popupShown(), { timeout: 5000 })
            const popup = await page.evaluate(() => reader.popupInfo())
            Object.assign(result, { type: popup.type, popupText: popup.text.slice(0, 200), popupOnScreen: popup.onScreen })
            result.noteText = ((await page.evaluate(h => reader.targetText(h), popup.href)) ?? '').slice(0, 200)
            if (!shot) {
                await page.screenshot({ path: path.join(out, 'note-popup.png') })
                result.screenshot = 'note-popup.png'
                shot = true
            }
            result.backHref = popup.backHref
            if (popup.backPoint) {
                await click(page, popup.backPoint)
                await page.waitForFunction(() => !reader.popupShown(), { timeout: 5000 })
                await page.waitForFunction(id => reader.landing(id).visible, { timeout: 5000 }, ref.id).catch(() => null)
                result.backVisible = (await page.evaluate(id => reader.landing(id), ref.id)).visible
            }
        } catch (e) {
            result.error = String(e.message ?? e).slice(0, 300)
        }
        results.push(result)
    }
    report.notes = results
}

// Going to a print page from the page-list: the marker must be on the page
// shown; the words from it on are reported for comparison with the PDF.
async function checkPageList(page, book, plan, report) {
    const byLabel = new Map(book.pageList.map(p => [p.label, p]))
    const results = []
    for (const label of plan.pages ?? []) {
        const item = byLabel.get(String(label))
        const result = { label: String(label), href: item?.href ?? null }
        if (item) {
            try {
                result.went = await page.evaluate(h => reader.goTo(h), item.href)
                Object.assign(result, await page.evaluate(id => reader.landing(id, 16), item.href.split('#')[1]))
            } catch (e) {
                result.error = String(e.message ?? e).slice(0, 300)
            }
        }
        results.push(result)
    }
    report.pageList = { count: book.pageList.length, pages: results }
}

// Index locators and cross-references, and glossary links from the text:
// each is clicked where it stands and must land on its target.
async function checkLinks(page, book, plan, out, report) {
    const index = book.sections.find(s => /index/.test(s.id))
    const results = []
    if (index) {
        await page.evaluate(i => reader.section(i), index.index)
        await page.screenshot({ path: path.join(out, 'index.png') })
        report.indexScreenshot = 'index.png'
        for (const [kind, selector] of [['locator', 'a[*|type~="index-locator"]'], ['xref', 'a[*|type~="index-xref-preferred"], a[*|type~="index-xref-related"]']]) {
            await page.evaluate(i => reader.section(i), index.index)
            const links = await page.evaluate(s => reader.links(s), selector)
            const want = kind === 'locator' ? plan.index_links : plan.index_xrefs
            for (const n of spread(links.length, want))
                results.push(await followLink(page, index, selector, n, links[n], kind))
        }
    }
    const glossed = book.sections.filter(section => found.get(section.index)?.glossary?.length)
    for (const i of spread(glossed.length, plan.glossary_links)) {
        const section = glossed[i]
        results.push(await followLink(page, section, 'a.glossary-link', 0, found.get(section.index).glossary[0], 'glossary'))
    }
    report.links = results
}

async function followLink(page, section, selector, n, link, kind) {
    const result = { kind, from: section.id.split('/').pop(), href: link.href, label: link.text, entry: link.entry }
    try {
        const point = await page.evaluate((i, s, k) => reader.showNth(i, s, k), section.index, selector, n)
        if (!point) throw new Error('the link is not on the page shown')
        const target = link.href.split('#')[1]
        await page.evaluate(() => reader.resetPopup())
        await click(page, point)
        await page.waitForFunction(t => reader.landing(t).visible || reader.popupShown(), { timeout: 5000 }, target)
            .catch(() => null)
        if (await page.evaluate(() => reader.popupShown())) {
            const popup = await page.evaluate(() => reader.popupInfo())
            Object.assign(result, { popup: true, type: popup.type, targetText: popup.text.slice(0, 120) })
            await page.evaluate(() => reader.resetPopup())
        } else {
            const landing = await page.evaluate(t => reader.landing(t, 8), target)
            Object.assign(result, { visible: landing.visible, targetText: landing.elementText || landing.text,
                                    pageBefore: landing.pageBefore, pageItem: landing.pageItem })
        }
    } catch (e) {
        result.error = String(e.message ?? e).slice(0, 300)
    }
    return result
}

// `want` positions spread evenly over `count`.
function spread(count, want) {
    if (!count || !want) return []
    if (want >= count) return [...Array(count).keys()]
    return [...new Set(Array.from({ length: want }, (_, i) => Math.floor(i * count / want)))]
}

async function main() {
    const opts = args()
    const plan = { notes: 8, index_links: 12, index_xrefs: 4, glossary_links: 6,
                   modes: ['phone', 'tablet', 'scrolled'], pages: [],
                   ...(opts.plan ? JSON.parse(fs.readFileSync(opts.plan, 'utf8')) : {}) }
    const out = path.resolve(opts.out)
    fs.mkdirSync(out, { recursive: true })
    const started = Date.now()
    const server = await serve(path.resolve(opts.epub))
    const base = `http://127.0.0.1:${server.address().port}`
    const browser = await puppeteer.launch({
        executablePath: CHROMIUM, headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions', '--font-render-hinting=none'],
    })
    const foliate = JSON.parse(fs.readFileSync(path.join(FOLIATE, 'package.json'), 'utf8')).version
    const report = { engine: { 'foliate-js': foliate, chromium: await browser.version() }, modes: [], errors: [] }
    try {
        for (const name of plan.modes) {
            const mode = { name, ...MODES[name] }
            const t = Date.now()
            const { page, book } = await openReader(browser, base, mode, report.errors)
            const client = await page.createCDPSession()
            await client.send('DOM.enable')
            await client.send('CSS.enable')
            await client.send('DOM.getDocument', { depth: 0 })
            const entry = { ...mode, sections: book.sections.length, language: book.language, seconds: {} }
            const timed = async (what, step) => {
                const t0 = Date.now()
                await step()
                entry.seconds[what] = (Date.now() - t0) / 1000
            }
            await timed('documents', () => checkDocuments(page, client, mode, book, out, entry))
            if (mode.flow === 'paginated') await timed('page-list', () => checkPageList(page, book, plan, entry))
            if (name === 'phone') {
                await timed('notes', () => checkNotes(page, book, plan, out, entry))
                await timed('links', () => checkLinks(page, book, plan, out, entry))
            }
            entry.seconds.total = (Date.now() - t) / 1000
            report.modes.push(entry)
            await page.close()
        }
    } finally {
        await browser.close()
        server.close()
    }
    report.seconds = (Date.now() - started) / 1000
    fs.writeFileSync(path.join(out, 'report.json'), JSON.stringify(report, null, 1))
}

main().catch(e => {
    console.error(e)
    process.exit(1)
})
