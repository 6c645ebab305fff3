import Foundation
import HTTP
import Logging
import Testing

@testable import Kernel

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct LoggingTests {
    private func logger(_ capture: LogCapture, format: LogFormat = .json, level: Logger.Level = .trace) -> Logger {
        Logger(label: "test.logger") { LineLogHandler(label: $0, level: level, format: format, sink: capture.sink) }
    }

    @Test func jsonLineShape() throws {
        let capture = LogCapture()
        var log = logger(capture)
        log[metadataKey: "handler_key"] = "h"
        log.info("hello", metadata: ["user": "ana", "count": .number(3), "nested": ["a": ["1", "2"]], "msg": "clash"])
        let lines = capture.lines
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        // Fixed keys first, in order.
        #expect(line.hasPrefix(#"{"ts":""#))
        #expect(line.contains(#"","level":"info","logger":"test.logger","msg":"hello","#))
        let obj = try #require(capture.objects.first)
        #expect(obj["level"] as? String == "info")
        #expect(obj["msg"] as? String == "hello")
        #expect(obj["user"] as? String == "ana")
        #expect(obj["count"] as? Int == 3)
        #expect(obj["handler_key"] as? String == "h")
        #expect((obj["nested"] as? [String: Any])?["a"] as? [String] == ["1", "2"])
        #expect(obj["meta_msg"] as? String == "clash")
        let ts = try #require(obj["ts"] as? String)
        #expect(ts.count == 24 && ts.hasSuffix("Z"))
        #expect(ts.range(of: #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"#, options: .regularExpression) != nil)
    }

    @Test func jsonEscaping() throws {
        let capture = LogCapture()
        let nasty = "quote\" backslash\\ newline\n cr\r tab\t bell\u{07} nul\u{0} unicode é 😀"
        logger(capture).warning("\(nasty)", metadata: ["v": .string(nasty)])
        let lines = capture.lines
        #expect(lines.count == 1, "a newline inside a value must not split the line")
        let line = try #require(lines.first)
        #expect(line.contains(#"quote\" backslash\\ newline\n cr\r tab\t bell\u0007 nul\u0000 unicode é 😀"#))
        let obj = try #require(capture.objects.first)
        #expect(obj["msg"] as? String == nasty)
        #expect(obj["v"] as? String == nasty)
    }

    @Test func textFormat() throws {
        let capture = LogCapture()
        logger(capture, format: .text).error("bad\nthing", metadata: ["a": "plain", "b": "two words", "n": .number(5)])
        let line = try #require(capture.lines.first)
        #expect(line.contains(" ERROR    test.logger: bad thing a=plain b=\"two words\" n=5"))
    }

    @Test func levelFiltering() {
        let capture = LogCapture()
        let log = logger(capture, level: .warning)
        log.info("dropped")
        log.warning("kept")
        #expect(capture.lines.count == 1)
    }

    @Test func timestampArithmetic() {
        var out: [UInt8] = []
        LogTimestamp.append(millis: 0, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1970-01-01T00:00:00.000Z")
        out = []
        LogTimestamp.append(millis: 951_782_400_123, to: &out)  // leap day of a century leap year
        #expect(String(decoding: out, as: UTF8.self) == "2000-02-29T00:00:00.123Z")
        out = []
        LogTimestamp.append(millis: 4_102_444_799_999, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "2099-12-31T23:59:59.999Z")
    }

    @Test func sinkBuffersUntilFlushOrThreshold() {
        let box = ByteBox()
        let sink = LogSink(writer: { box.append(contentsOf: $0) }, flushInterval: nil, threshold: 100)
        sink.append(Array("short\n".utf8))
        #expect(box.snapshot.isEmpty, "a line below the threshold costs no write")
        sink.append(Array(String(repeating: "x", count: 120).utf8) + [0x0A])
        #expect(box.snapshot.count == 6 + 121, "passing the threshold flushes at once")
        sink.append(Array("tail\n".utf8))
        sink.flush()
        #expect(String(decoding: box.snapshot, as: UTF8.self).hasSuffix("tail\n"))
    }

    @Test func sinkTimerFlushesInTheBackground() async throws {
        let box = ByteBox()
        let sink = LogSink(writer: { box.append(contentsOf: $0) }, flushInterval: .milliseconds(20))
        sink.append(Array("line\n".utf8))
        for _ in 0..<100 where box.snapshot.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(box.snapshot == Array("line\n".utf8))
    }

    @Test func fileDescriptorWriterWritesToAPipe() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let sink = LogSink(writer: LogSink.fileDescriptorWriter(fds[1]), flushInterval: nil)
        let log = Logger(label: "pipe") { LineLogHandler(label: $0, sink: sink) }
        log.info("through a pipe")
        sink.flush()
        close(fds[1])
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(fds[0], &buffer, buffer.count)
        let text = String(decoding: buffer[0..<max(0, n)], as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        #expect(text.contains(#""msg":"through a pipe""#))
    }

    @Test func accessLogLine() throws {
        let capture = LogCapture()
        let access = AccessLogMiddleware(logger: logger(capture, level: .info))
        var request = Request(method: .post, target: "/v1/things?x=1", body: [1, 2])
        request.requestID = "rid-1"
        request.remoteAddress = "10.0.0.1:5555"
        let chain: [any Middleware] = [access]
        let handler = chain.wrapping { req in
            var req = req
            req.setUserID("user-42")
            return Response(status: .created, contentType: "application/json", body: Array("{\"id\":1}".utf8))
        }
        _ = try handler(request)
        let obj = try #require(capture.objects.first)
        #expect(obj["msg"] as? String == "request")
        #expect(obj["method"] as? String == "POST")
        #expect(obj["route"] as? String == "unmatched")
        #expect(obj["path"] as? String == "/v1/things")
        #expect(obj["status"] as? Int == 201)
        #expect(obj["request_id"] as? String == "rid-1")
        #expect(obj["user_id"] as? String == "user-42")
        #expect(obj["remote"] as? String == "10.0.0.1:5555")
        #expect(obj["bytes"] as? Int == 8)
        let duration = try #require(obj["duration_ms"] as? Double)
        #expect(duration >= 0)
        let line = try #require(capture.lines.first)
        #expect(line.range(of: #""duration_ms":\d+\.\d{3}[,}]"#, options: .regularExpression) != nil)
    }

    @Test func accessLogOmitsUserIDWhenUnset() throws {
        let capture = LogCapture()
        let handler = ([AccessLogMiddleware(logger: logger(capture))] as [any Middleware]).wrapping { _ in
            Response(status: .noContent)
        }
        _ = try handler(Request(method: .get, target: "/"))
        let obj = try #require(capture.objects.first)
        #expect(obj["user_id"] == nil)
        #expect(obj["status"] as? Int == 204)
    }

    @Test func logNumberFormatting() {
        #expect(LogNumber(milliseconds: .microseconds(42)).description == "0.042")
        #expect(LogNumber(milliseconds: .milliseconds(1234)).description == "1234.000")
        #expect(LogNumber(milliseconds: .nanoseconds(1_500_999)).description == "1.500")
    }
}
