import Crypto

/// The page's only style sheet, inline so the page loads nothing else; the CSP allows exactly this
/// text by its hash instead of `'unsafe-inline'`.
enum SharePageStyle {
    static let css = """
        :root{color-scheme:light dark;--muted:#5b6470;--rule:#d8dde3}
        *{box-sizing:border-box}
        body{margin:0 auto;max-width:46rem;padding:1rem;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
        header{border-bottom:2px solid var(--rule);margin-bottom:1rem}
        h1{font-size:1.6rem;margin:.5rem 0}
        h2{font-size:1.25rem;margin:1.5rem 0 .5rem;border-bottom:1px solid var(--rule)}
        h3{font-size:1.05rem;margin:1rem 0 .25rem}
        .meta,.muted{color:var(--muted)}
        ol,ul{padding-left:0;list-style:none;margin:0}
        li{padding:.4rem 0;border-bottom:1px solid var(--rule)}
        .time{font-variant-numeric:tabular-nums;display:inline-block;min-width:6.5rem;color:var(--muted)}
        .cost,.num{float:right;font-variant-numeric:tabular-nums}
        .notes{margin:.2rem 0 0 6.5rem;font-size:.92rem}
        .place{display:block;margin-left:6.5rem;font-size:.92rem;color:var(--muted)}
        table{width:100%;border-collapse:collapse}
        th,td{text-align:left;padding:.3rem .2rem;border-bottom:1px solid var(--rule)}
        td.num,th.num{text-align:right;float:none}
        footer{margin-top:2rem;font-size:.85rem;color:var(--muted)}
        @media (max-width:30rem){.time{display:block}.notes,.place{margin-left:0}}
        @media (prefers-color-scheme:dark){:root{--muted:#a5adb8;--rule:#3a4048}body{background:#15181c;color:#e8eaed}}
        @media print{body{max-width:none;font-size:11pt;color:#000;background:#fff}article{break-inside:avoid}h2{break-after:avoid}}
        """

    /// `'sha256-…'` for the Content-Security-Policy header.
    static let hashSource: String = {
        let digest = (try? SHA256.hash(Array(css.utf8))) ?? []
        return "'sha256-\(Base64.encode(digest))'"
    }()

    /// Nothing may load: no scripts, images, fonts, frames or form targets; only this style sheet.
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src \(hashSource); base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }
}
