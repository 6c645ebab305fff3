"""A local LLM upstream for the tests and the bench: speaks OpenAI's Chat Completions and Anthropic's
Messages wire formats (JSON and server-sent events), written with Python's standard library only, so it
shares no code with the gateway it checks.

usage: fake_llm.py [--key KEY] [--tls CERT KEY]   (prints the port it listens on, then serves)

Routes
  POST /v1/chat/completions   OpenAI (Authorization: Bearer KEY when --key is given)
  GET  /v1/models             OpenAI model list
  POST /v1/messages           Anthropic (x-api-key: KEY and anthropic-version required)
  POST /__script              JSON list of steps; each chat/messages request consumes the next one
  GET  /__requests            every chat/messages request seen: {path, headers, body, aborted}
  POST /__reset               forgets the script and the requests

Without a script step the answer is "echo: " + the last user message's text; tokens are counted as
whitespace-separated words (prompt: every message's text; completion: the answer's words). Steps:
  {"status": 429, "headers": {"Retry-After": "1"}, "body": {...}}   an error answer
  {"drop": true}                        close the connection without answering
  {"delay": 1.5}                        wait, then answer normally (or as the step's other keys say)
  {"raw": "text"}                       a 200 whose body is this text (malformed JSON)
  {"reply": "text"}                     answer with this text
  {"tool": {"name": "n", "arguments": {...}}}   answer with a tool call (OpenAI tool_calls, Anthropic tool_use)
  {"chunk_delay": 0.2}                  streaming: wait between events
  {"drop_after": 2}                     streaming: close the connection after this many content events
  {"usage": {"prompt": 7, "completion": 3}}      report these token counts instead
"""

import json
import signal
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})

KEY = None
LOCK = threading.Lock()
SCRIPT = []
REQUESTS = []
MODELS = ["fake-small", "fake-large"]


def words(text):
    return len(text.split())


def text_of(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # A response leaves in one write (head and body buffered, flushed per response or stream event) with
    # TCP_NODELAY: otherwise Nagle holds the body until the client's delayed ACK, 40 ms on Linux.
    wbufsize = 65536
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    # -- plumbing -------------------------------------------------------------------------------------

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send_json(self, status, obj, headers=None):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def start_stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def end_stream(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def drop(self):
        self.close_connection = True
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # -- routes ---------------------------------------------------------------------------------------

    def do_GET(self):
        if self.path == "/__requests":
            with LOCK:
                self.send_json(200, REQUESTS)
        elif self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [
                {"id": m, "object": "model", "created": 1700000000, "owned_by": "fake"} for m in MODELS]})
        else:
            self.send_json(404, {"error": {"message": "no route", "type": "invalid_request_error"}})

    def do_POST(self):
        raw = self.read_body()
        if self.path == "/__script":
            with LOCK:
                SCRIPT.extend(json.loads(raw))
            return self.send_json(200, {"queued": len(SCRIPT)})
        if self.path == "/__reset":
            with LOCK:
                SCRIPT.clear()
                REQUESTS.clear()
            return self.send_json(200, {})
        if self.path not in ("/v1/chat/completions", "/v1/messages"):
            return self.send_json(404, {"error": {"message": "no route", "type": "invalid_request_error"}})
        anthropic = self.path == "/v1/messages"
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        record = {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                  "body": body, "aborted": False}
        with LOCK:
            REQUESTS.append(record)
            step = SCRIPT.pop(0) if SCRIPT else {}
        if not self.authorised(anthropic):
            return self.send_json(401, self.error_body(anthropic, "invalid api key", "authentication_error"))
        if body is None:
            return self.send_json(400, self.error_body(anthropic, "body is not JSON", "invalid_request_error"))
        if anthropic and self.headers.get("anthropic-version") is None:
            return self.send_json(400, self.error_body(True, "anthropic-version header is required",
                                                       "invalid_request_error"))
        if "delay" in step:
            time.sleep(step["delay"])
        if step.get("drop"):
            return self.drop()
        if "status" in step:
            return self.send_json(step["status"], step.get("body") or self.error_body(
                anthropic, "scripted failure", "api_error"), step.get("headers"))
        if "raw" in step:
            data = step["raw"].encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return self.wfile.write(data)
        messages = body.get("messages") or []
        prompt_text = " ".join(text_of(m.get("content")) for m in messages)
        if anthropic and body.get("system"):
            prompt_text = text_of(body["system"]) + " " + prompt_text
        last_user = next((text_of(m.get("content")) for m in reversed(messages) if m.get("role") == "user"), "")
        reply = step.get("reply", "echo: " + last_user)
        tool = step.get("tool")
        usage = step.get("usage") or {"prompt": words(prompt_text),
                                      "completion": words(json.dumps(tool["arguments"])) if tool else words(reply)}
        model = body.get("model", "fake-small")
        try:
            if anthropic:
                self.anthropic(body, model, reply, tool, usage, step, record)
            else:
                self.openai(body, model, reply, tool, usage, step, record)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            record["aborted"] = True
            self.close_connection = True

    def authorised(self, anthropic):
        if KEY is None:
            return True
        if anthropic:
            return self.headers.get("x-api-key") == KEY
        return self.headers.get("Authorization") == "Bearer " + KEY

    def error_body(self, anthropic, message, kind):
        if anthropic:
            return {"type": "error", "error": {"type": kind, "message": message}}
        return {"error": {"message": message, "type": kind, "param": None, "code": None}}

    # -- OpenAI ---------------------------------------------------------------------------------------

    def openai(self, body, model, reply, tool, usage, step, record):
        created = int(time.time())
        usage_obj = {"prompt_tokens": usage["prompt"], "completion_tokens": usage["completion"],
                     "total_tokens": usage["prompt"] + usage["completion"]}
        tool_calls = None
        if tool:
            tool_calls = [{"id": "call_1", "type": "function",
                           "function": {"name": tool["name"], "arguments": json.dumps(tool["arguments"])}}]
        if not body.get("stream"):
            message = {"role": "assistant", "content": None if tool else reply, "refusal": None}
            if tool_calls:
                message["tool_calls"] = tool_calls
            return self.send_json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": created, "model": model,
                "system_fingerprint": "fp_fake",
                "choices": [{"index": 0, "message": message, "logprobs": None,
                             "finish_reason": "tool_calls" if tool else "stop"}],
                "usage": usage_obj})
        self.start_stream()

        def event(delta, finish=None, choices=True, extra=None):
            obj = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": created, "model": model,
                   "system_fingerprint": "fp_fake",
                   "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]
                   if choices else []}
            if extra:
                obj.update(extra)
            self.chunk(b"data: " + json.dumps(obj).encode() + b"\n\n")

        include_usage = (body.get("stream_options") or {}).get("include_usage")
        event({"role": "assistant", "content": ""}, extra={"usage": None} if include_usage else None)
        pieces = [json.dumps(tool["arguments"])] if tool else [(" " if i else "") + w for i, w in
                                                               enumerate(reply.split(" "))]
        for n, piece in enumerate(pieces):
            if "drop_after" in step and n >= step["drop_after"]:
                return self.drop()
            if step.get("chunk_delay"):
                time.sleep(step["chunk_delay"])
            if tool:
                delta = {"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                         "function": {"name": tool["name"], "arguments": piece}}]}
            else:
                delta = {"content": piece}
            event(delta, extra={"usage": None} if include_usage else None)
        event({}, "tool_calls" if tool else "stop", extra={"usage": None} if include_usage else None)
        if include_usage:
            event(None, choices=False, extra={"usage": usage_obj})
        self.chunk(b"data: [DONE]\n\n")
        self.end_stream()

    # -- Anthropic ------------------------------------------------------------------------------------

    def anthropic(self, body, model, reply, tool, usage, step, record):
        content = [{"type": "tool_use", "id": "toolu_1", "name": tool["name"], "input": tool["arguments"]}] \
            if tool else [{"type": "text", "text": reply}]
        stop = "tool_use" if tool else "end_turn"
        if not body.get("stream"):
            return self.send_json(200, {
                "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": content,
                "stop_reason": stop, "stop_sequence": None,
                "usage": {"input_tokens": usage["prompt"], "output_tokens": usage["completion"]}})
        self.start_stream()

        def event(name, obj):
            self.chunk(("event: %s\ndata: %s\n\n" % (name, json.dumps(obj))).encode())

        event("message_start", {"type": "message_start", "message": {
            "id": "msg_fake", "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": None, "stop_sequence": None,
            "usage": {"input_tokens": usage["prompt"], "output_tokens": 1}}})
        if tool:
            event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {
                "type": "tool_use", "id": "toolu_1", "name": tool["name"], "input": {}}})
            pieces = [json.dumps(tool["arguments"])]
        else:
            event("content_block_start", {"type": "content_block_start", "index": 0,
                                          "content_block": {"type": "text", "text": ""}})
            pieces = [(" " if i else "") + w for i, w in enumerate(reply.split(" "))]
        event("ping", {"type": "ping"})
        for n, piece in enumerate(pieces):
            if "drop_after" in step and n >= step["drop_after"]:
                return self.drop()
            if step.get("chunk_delay"):
                time.sleep(step["chunk_delay"])
            delta = {"type": "input_json_delta", "partial_json": piece} if tool else \
                {"type": "text_delta", "text": piece}
            event("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta})
        event("content_block_stop", {"type": "content_block_stop", "index": 0})
        event("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                                "usage": {"output_tokens": usage["completion"]}})
        event("message_stop", {"type": "message_stop"})
        self.end_stream()


def main():
    global KEY
    args = sys.argv[1:]
    tls = None
    while args:
        if args[0] == "--key":
            KEY = args[1]
            args = args[2:]
        elif args[0] == "--tls":
            tls = (args[1], args[2])
            args = args[3:]
        else:
            sys.exit("unknown argument " + args[0])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


main()
