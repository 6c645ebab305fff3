import Foundation
import Kernel
import TestSupport
import Testing

/// The official `openai` Python SDK (pinned in scripts/test-tools/requirements.txt, installed into
/// `.tools/test-venv`), pointed at our gateway by changing only its base URL, authenticating with an
/// API key of scope `ai`: a normal completion, a streamed one with usage, the model list, and the
/// SDK's own exception classes for our errors.
@Suite(.serialized) struct OpenAISDKTests {
    static let python =
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path + "/.tools/test-venv/bin/python"

    static let script = #"""
        import json, sys
        import openai
        from openai import OpenAI

        base, key = sys.argv[1], sys.argv[2]
        client = OpenAI(base_url=base, api_key=key, max_retries=0)
        out = {"version": openai.__version__}

        r = client.chat.completions.create(
            model="fake-small", messages=[{"role": "user", "content": "plan a day in Porto"}], temperature=0.2)
        out["text"] = r.choices[0].message.content
        out["finish"] = r.choices[0].finish_reason
        out["usage"] = [r.usage.prompt_tokens, r.usage.completion_tokens, r.usage.total_tokens]
        out["object"] = r.object

        pieces, usage, last_finish = [], None, None
        stream = client.chat.completions.create(
            model="fake-small", messages=[{"role": "user", "content": "three words please"}], stream=True,
            stream_options={"include_usage": True})
        for chunk in stream:
            if chunk.usage is not None:
                usage = [chunk.usage.prompt_tokens, chunk.usage.completion_tokens]
            for c in chunk.choices:
                if c.delta.content:
                    pieces.append(c.delta.content)
                if c.finish_reason:
                    last_finish = c.finish_reason
        out["stream_text"] = "".join(pieces)
        out["stream_usage"] = usage
        out["stream_finish"] = last_finish

        out["models"] = sorted(m.id for m in client.models.list())

        try:
            client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "x"}])
            out["unknown_model"] = "no error"
        except openai.NotFoundError as e:
            out["unknown_model"] = [e.status_code, e.body.get("message") if isinstance(e.body, dict) else None]

        try:
            OpenAI(base_url=base, api_key="tsk_wrong", max_retries=0).chat.completions.create(
                model="fake-small", messages=[{"role": "user", "content": "x"}])
            out["bad_key"] = "no error"
        except openai.AuthenticationError as e:
            out["bad_key"] = e.status_code
        print(json.dumps(out))
        """#

    @Test func officialSDKCompletesStreamsAndReadsUsage() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.python) else {
            Issue.record("\(Self.python) is missing: run `bash scripts/test-tools/install` (make test does)")
            return
        }
        let fake = try FakeLLM()
        let app = try AuthApp { config in
            config.ai.providers = [
                AISettings.Provider(
                    name: "fake", kind: .openai, baseURL: fake.baseURL, models: ["fake-small", "fake-large"])
            ]
            config.ai.retryBaseDelay = .milliseconds(10)
        }
        let user = try app.register()
        let created = try app.call(
            "POST", "/v1/api-keys", json: ["name": "sdk", "scopes": ["ai"]], token: user.accessToken)
        let key = try #require(created.string("key"), "\(created.text)")

        let directory = NSTemporaryDirectory() + "openai-sdk-\(UUID())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(Self.script.utf8).write(to: URL(fileURLWithPath: directory + "/sdk.py"))
        let run = try ToolProcess.run(
            Self.python, [directory + "/sdk.py", "http://127.0.0.1:\(app.port)/v1/ai", key])
        try #require(run.status == 0, "\(run.output)")
        let line = try #require(run.output.split(separator: "\n").last.map(String.init))
        let out = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])

        #expect(out["object"] as? String == "chat.completion")
        #expect(out["text"] as? String == "echo: plan a day in Porto")
        #expect(out["finish"] as? String == "stop")
        // fake_llm counts words: 5 in the prompt, 6 in the answer.
        #expect(out["usage"] as? [Int] == [5, 6, 11])
        #expect(out["stream_text"] as? String == "echo: three words please")
        #expect(out["stream_usage"] as? [Int] == [3, 4])
        #expect(out["stream_finish"] as? String == "stop")
        #expect(out["models"] as? [String] == ["fake-large", "fake-small"])
        #expect((out["unknown_model"] as? [Any])?.first as? Int == 404)
        #expect(out["bad_key"] as? Int == 401)

        // What reached the upstream: both completions, with the caller's fields passed through.
        let seen = try fake.requests()
        #expect(seen.count == 2)
        let first = try #require(seen.first?["body"] as? [String: Any])
        #expect(first["temperature"] as? Double == 0.2)
    }
}
