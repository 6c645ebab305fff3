// libFuzzer harness for RequestParser (built by scripts/fuzz.sh, compiled into one module with the codec
// sources, so it sees internal API). Not part of the SwiftPM package.
//
// It drives the parser as a connection does — parse until .needMore or .error, setBodyLimit after every
// head, carry on after .message — and traps on any broken invariant:
//   - the index never moves backwards or past the end; .needMore only once everything is consumed;
//   - progress: a bounded number of events per input byte (no loop without consuming input);
//   - heads are well-formed (offsets in range, version 1.0/1.1, framing consistent with the body);
//   - feeding the input whole, split at a data-derived point, in three pieces, and (for short inputs)
//     byte by byte gives exactly the same sequence of events.

/// One parser event, reduced to comparable bytes.
private enum Event: Equatable {
    case head([UInt8])
    case message([UInt8])
    case error(Int, String)
}

private func check(_ ok: Bool, _ message: @autoclosure () -> String) {
    if !ok { fatalError("parser invariant: \(message())") }
}

private func digest(_ head: RequestHead) -> [UInt8] {
    let s = head.fields.storage
    check(head.targetStart >= 0 && head.targetStart < head.targetEnd && head.targetEnd <= s.count, "target range")
    check(head.targetStart <= head.pathStart && head.pathStart <= head.pathEnd && head.pathEnd <= head.targetEnd, "path range")
    check(head.queryStart == -1 || (head.queryStart == head.pathEnd + 1 && head.queryStart <= head.targetEnd), "query start")
    check(head.minorVersion <= 1, "version")
    switch head.framing {
    case .none: check(!head.expectContinue, "expectContinue without a body")
    case .length(let n): check(n > 0, "zero length framing")
    case .chunked: check(head.minorVersion == 1, "chunked on HTTP/1.0")
    }
    var out: [UInt8] = [head.method.rawValue, head.minorVersion, head.keepAlive ? 1 : 0, head.expectContinue ? 1 : 0]
    switch head.framing {
    case .none: out.append(0)
    case .length(let n): out.append(1); withUnsafeBytes(of: n) { out.append(contentsOf: $0) }
    case .chunked: out.append(2)
    }
    out.append(contentsOf: s[head.targetStart..<head.targetEnd])
    out.append(0)
    out.append(contentsOf: s[head.pathStart..<head.pathEnd])
    out.append(0)
    for e in head.fields.entries {
        let ns = Int(e.nameStart), nc = Int(e.nameCount), vs = Int(e.valueStart), vc = Int(e.valueCount)
        check(ns >= 0 && nc > 0 && ns + nc <= s.count && vs >= 0 && vc >= 0 && vs + vc <= s.count, "field range")
        out.append(contentsOf: s[ns..<ns + nc])
        out.append(0x3A)
        out.append(contentsOf: s[vs..<vs + vc])
        out.append(0)
    }
    return out
}

/// Feeds `input` in pieces ending at `cuts` (ascending, the last is input.count).
private func drive(_ input: UnsafeRawBufferPointer, cuts: [Int], bodyLimit: Int) -> [Event] {
    var parser = RequestParser(limits: ParserLimits())
    var events: [Event] = []
    var framing = BodyFraming.none
    var start = 0
    for end in cuts {
        let piece = UnsafeRawBufferPointer(rebasing: input[start..<end])
        start = end
        var i = 0
        var budget = 2 * piece.count + 4
        while true {
            budget -= 1
            check(budget >= 0, "no progress: too many events for \(piece.count) bytes")
            let before = i
            let event = parser.parse(piece, &i)
            check(i >= before, "index moved backwards from \(before) to \(i)")
            check(i <= piece.count, "index \(i) past the end \(piece.count)")
            switch event {
            case .needMore:
                check(i == piece.count, "needMore with \(piece.count - i) bytes unconsumed")
            case .head(let head):
                if case .head = events.last { check(false, "two heads without a message") }
                events.append(.head(digest(head)))
                framing = head.framing
                parser.setBodyLimit(bodyLimit)
                continue
            case .message(let body):
                guard case .head = events.last else { check(false, "message without a head"); return events }
                switch framing {
                case .none: check(body.isEmpty, "body without framing")
                case .length(let n): check(body.count == n && n <= bodyLimit, "length body \(body.count) vs \(n)")
                case .chunked: check(body.count <= bodyLimit, "chunked body over the limit")
                }
                events.append(.message(body))
                continue
            case .error(let e):
                check([400, 413, 414, 417, 431, 501, 505].contains(e.status.code), "unexpected status \(e.status.code)")
                events.append(.error(e.status.code, e.detail))
                // The verdict is final.
                var j = i
                guard case .error = parser.parse(piece, &j) else { check(false, "parser continued after an error"); return events }
                return events
            }
            break
        }
    }
    return events
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    // A small body limit, varied by the input so both sides of it get exercised.
    let bodyLimit = size > 0 ? 16 << Int(data[size - 1] & 3) : 16
    let whole = drive(input, cuts: [size], bodyLimit: bodyLimit)
    guard size > 1 else { return 0 }

    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for k in stride(from: 0, to: size, by: max(1, size / 16)) { h = (h ^ UInt64(data[k])) &* 0x100_0000_01b3 }
    let cut = 1 + Int(h % UInt64(size - 1))
    let cut2 = cut + Int((h >> 32) % UInt64(size - cut + 1))
    var splits: [[Int]] = [[cut, size], [cut, cut2, size].filter { $0 > 0 }]
    if size <= 512 { splits.append(Array(1...size)) }
    for cuts in splits {
        var ascending: [Int] = []
        for c in cuts where ascending.last.map({ c > $0 }) ?? true { ascending.append(c) }
        let other = drive(input, cuts: ascending, bodyLimit: bodyLimit)
        if other != whole {
            fatalError("split at \(ascending.prefix(4))… gives \(other.count) events, whole input \(whole.count): \(other.last.map { "\($0)" } ?? "-") vs \(whole.last.map { "\($0)" } ?? "-")")
        }
    }
    return 0
}
