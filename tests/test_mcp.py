"""``kortrade mcp``: the MCP server, driven by the SDK's own client over a real subprocess.

Every session starts ``python -m kortrade mcp --data FILE`` as a desktop assistant
would. The SDK is a test dependency (the ``test`` extra includes it), so none of this
ever skips. Raw lines go to the server's stdin where the client cannot send them
(a line that is not JSON, a request followed by EOF).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TextIO

import anyio
import mcp.types as types
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

from support.facts import MINIMAL
from support.hostile import peak_mib, popen_measured, run_bounded
from support.keys import FACT_KEYS, SOURCE_KEYS
from support.paths import CLASSIC, REPO, SHIPPED

TOOLS = {
    "search_facts",
    "get_fact",
    "compare_figures",
    "cite_facts",
    "briefing",
    "official_series",
    "answer_question",
    "check_figures",
}
PYTHON = sys.executable
INVALID_PARAMS = -32602
RESOURCE_NOT_FOUND = -32002


def server_env() -> dict[str, str]:
    """The test's environment (its private cache), without a data setting: --data says which file."""
    env = {k: v for k, v in os.environ.items() if k != "KORTRADE_DATA"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(Path(__file__).resolve().parent.parent / "src"),) if p)
    return env


def kortrade(*args: str) -> str:
    """A CLI command's stdout, for comparing the server's answers with the commands' own."""
    done = subprocess.run(
        [PYTHON, "-m", "kortrade", *args], capture_output=True, text=True, env=server_env(), check=True, timeout=60
    )
    return done.stdout


@asynccontextmanager
async def session(data: Path, errlog: TextIO, cwd: Path | None = None) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(
        command=PYTHON, args=["-m", "kortrade", "mcp", "--data", str(data)], env=server_env(), cwd=cwd
    )
    async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as client:
        await client.initialize()
        yield client


def in_session(data: Path, tmp_path: Path, body: Callable[[ClientSession], Awaitable[None]]) -> str:
    """Run ``body`` in a session on ``data``; return what the server wrote on stderr."""
    log_path = tmp_path / "server-stderr.log"

    async def main() -> None:
        with log_path.open("w", encoding="utf-8") as errlog:
            async with session(data, errlog) as client:
                await body(client)

    anyio.run(main)
    return log_path.read_text(encoding="utf-8")


def structured(result: types.CallToolResult) -> dict[str, Any]:
    assert not result.is_error, result.content
    assert isinstance(result.structured_content, dict)
    return result.structured_content


def text_of(result: types.CallToolResult) -> str:
    (block,) = result.content
    assert isinstance(block, types.TextContent)
    return block.text


async def protocol_error(client: ClientSession, name: str, arguments: dict[str, Any]) -> MCPError:
    with pytest.raises(MCPError) as caught:
        await client.call_tool(name, arguments)
    return caught.value


# -- a whole session on the classic file --------------------------------------------------


def test_session_lists_and_calls_every_tool_and_reads_resources(tmp_path: Path) -> None:
    show = json.loads(kortrade("show", "trade-volume-2024", "--json", "--data", str(CLASSIC)))
    cite_markdown = kortrade(
        "cite", "trade-volume-2024", "samsung-exports-value-2024", "--style", "markdown", "--data", str(CLASSIC)
    )
    brief_markdown = kortrade("brief", "--format", "markdown", "--data", str(CLASSIC))
    source = json.loads(kortrade("sources", "cgtn-2026-01-09", "--json", "--data", str(CLASSIC)))

    async def body(client: ClientSession) -> None:
        tools = (await client.list_tools()).tools
        assert {t.name for t in tools} == TOOLS
        for tool in tools:
            assert tool.description
            assert "source" in tool.description
            assert tool.input_schema["type"] == "object"
            assert tool.input_schema["additionalProperties"] is False
            assert tool.output_schema is not None
            assert tool.output_schema["type"] == "object"
            assert tool.annotations is not None
            assert tool.annotations.read_only_hint is True
        search_schema = next(t for t in tools if t.name == "search_facts").input_schema["properties"]
        assert search_schema["limit"]["minimum"] == 1
        assert search_schema["limit"]["maximum"] == 100
        assert search_schema["query"]["maxLength"] == 500

        # search_facts: the contract's records, and a line per fact with its figure, source and date.
        found = await client.call_tool("search_facts", {"query": "trade", "limit": 3})
        answer = structured(found)
        assert answer["count"] == 3
        assert len(answer["facts"]) == 3
        for record in answer["facts"]:
            assert list(record) == FACT_KEYS
            assert list(record["source"]) == SOURCE_KEYS
        lines = text_of(found).splitlines()[1:]
        assert len(lines) == 3
        for line, record in zip(lines, answer["facts"], strict=True):
            assert record["id"] in line
            assert "source: CGTN, 2026-01-09" in line
            if record["display"]:
                assert f"figure: {record['display']}" in line

        # get_fact: exactly what `kortrade show ID --json` prints.
        fact = await client.call_tool("get_fact", {"id": "trade-volume-2024"})
        assert structured(fact) == show
        assert "figure: $328.08 billion; period: 2024; source: CGTN, 2026-01-09" in text_of(fact)
        assert show["source"]["url"] in text_of(fact)

        # A hedge stays with its figure.
        hedged = await client.call_tool("get_fact", {"id": "samsung-exports-value-2024"})
        assert "figure: about $45 billion" in text_of(hedged)

        # cite_facts: the cite command's text.
        cited = await client.call_tool(
            "cite_facts", {"ids": ["trade-volume-2024", "samsung-exports-value-2024"], "style": "markdown"}
        )
        assert text_of(cited) == cite_markdown
        assert structured(cited)["style"] == "markdown"
        assert [f["id"] for f in structured(cited)["facts"]] == ["trade-volume-2024", "samsung-exports-value-2024"]
        bibtex = await client.call_tool("cite_facts", {"ids": ["trade-volume-2024"], "style": "bibtex"})
        assert text_of(bibtex).startswith("@online{cgtn-2026-01-09,")

        # briefing: the Markdown of `kortrade brief --format markdown`, and its structure.
        brief = await client.call_tool("briefing", {})
        assert text_of(brief) == brief_markdown
        assert structured(brief)["sections"]
        assert structured(brief)["citations"]
        narrowed = await client.call_tool("briefing", {"topics": ["trade"]})
        assert len(text_of(narrowed)) < len(brief_markdown)

        # compare_figures: the classic file names no measures, so nothing to compare (not an error).
        compared = await client.call_tool("compare_figures", {})
        assert structured(compared)["groups"] == []
        assert structured(compared)["count"] == 0

        # Resources: the sources listed, facts and sources by template, as the commands print them.
        listed = (await client.list_resources()).resources
        uris = {str(r.uri) for r in listed}
        assert {"kortrade://source/cgtn-2026-01-09", "kortrade://measures"} <= uris
        templates = (await client.list_resource_templates()).resource_templates
        assert {t.uri_template for t in templates} == {"kortrade://fact/{id}", "kortrade://source/{id}"}
        read = await client.read_resource("kortrade://fact/trade-volume-2024")
        (contents,) = read.contents
        assert isinstance(contents, types.TextResourceContents)
        assert contents.mime_type == "application/json"
        assert json.loads(contents.text) == show
        read_source = await client.read_resource("kortrade://source/cgtn-2026-01-09")
        (source_contents,) = read_source.contents
        assert isinstance(source_contents, types.TextResourceContents)
        assert json.loads(source_contents.text) == source

        # Completion of a template's id, from the index.
        completed = await client.complete(
            types.ResourceTemplateReference(uri="kortrade://fact/{id}"), {"name": "id", "value": "trade-v"}
        )
        assert completed.completion.values == ["trade-volume-2024"]

    log = in_session(CLASSIC, tmp_path, body)
    assert log == ""


def test_initialize_names_the_server_and_tells_the_model_how_to_quote(tmp_path: Path) -> None:
    log_path = tmp_path / "stderr.log"

    async def main() -> None:
        with log_path.open("w", encoding="utf-8") as errlog:
            params = StdioServerParameters(
                command=PYTHON, args=["-m", "kortrade", "mcp", "--data", str(CLASSIC)], env=server_env()
            )
            async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as client:
                result = await client.initialize()
                assert result.server_info.name == "kortrade"
                assert result.capabilities.tools is not None
                assert result.capabilities.resources is not None
                assert result.instructions is not None
                for words in ("hedge", "source", "date", "Korea's and China's statistics"):
                    assert words in result.instructions

    anyio.run(main)


# -- the shipped file ----------------------------------------------------------------------


def test_session_on_the_shipped_file(tmp_path: Path) -> None:
    compare = json.loads(kortrade("compare", "bilateral-trade", "--period", "2024", "--json", "--data", str(SHIPPED)))
    search = json.loads(kortrade("search", "삼성", "--limit", "5", "--json", "--data", str(SHIPPED)))
    answered = json.loads(kortrade("search", "--answer", "2024年中韩贸易额", "--json", "--data", str(SHIPPED)))
    series = json.loads(kortrade("series", "trade", "--from", "2015", "--to", "2025", "--json", "--data", str(SHIPPED)))

    async def body(client: ClientSession) -> None:
        found = structured(await client.call_tool("search_facts", {"query": "삼성", "limit": 5}))
        assert found["count"] == 5
        assert found["facts"] == search

        compared = await client.call_tool("compare_figures", {"measure": "bilateral-trade", "period": "2024"})
        answer = structured(compared)
        assert answer["groups"] == compare
        assert answer["count"] == len(compare)
        text = text_of(compared)
        assert "bilateral-trade · 2024: differ" in text
        assert "$267.6 billion (2024), Anadolu Agency, 2025-10-24" in text
        # Each figure's line names its source and date.
        figure_lines = [line for line in text.splitlines() if line.startswith("  - ")]
        assert len(figure_lines) == sum(len(g["facts"]) for g in compare)
        for line in figure_lines:
            assert ", 20" in line or "undated" in line

        # Korea's and China's statistics: a group each, never set against each other; the text names whose.
        both = await client.call_tool("compare_figures", {"measure": "rok-exports-to-china", "period": "2016"})
        korea, china = structured(both)["groups"]
        assert (korea["statistics"], korea["verdict"]) == ("Republic of Korea", "single")
        assert (china["statistics"], china["verdict"]) == ("China", "single")
        assert "rok-exports-to-china · 2016 · Republic of Korea statistics: single" in text_of(both)
        assert "rok-exports-to-china · 2016 · China statistics: single" in text_of(both)
        assert "(Republic of Korea) statistics" in text_of(both)
        assert "(China) statistics" in text_of(both)

        conflicts = structured(await client.call_tool("compare_figures", {"conflicts_only": True, "limit": 3}))
        assert len(conflicts["groups"]) == 3
        assert conflicts["count"] > 3
        assert all(g["verdict"] == "differ" for g in conflicts["groups"])

        corroborated = structured(await client.call_tool("get_fact", {"id": "trade-volume-2024"}))
        assert corroborated["corroboration"]["measure"] == "bilateral-trade"

        measures = await client.read_resource("kortrade://measures")
        (contents,) = measures.contents
        assert isinstance(contents, types.TextResourceContents)
        assert "bilateral-trade" in {m["id"] for m in json.loads(contents.text)}

        brief = await client.call_tool("briefing", {"topics": ["trade", "visit"]})
        assert "Numbers in brackets are the sources" in text_of(brief)

        # The official series: the rows `kortrade series` gives, and a line each naming whose statistics.
        wanted = {"measures": ["trade"], "from": "2015", "to": "2025"}
        official = await client.call_tool("official_series", wanted)
        assert structured(official)["rows"] == series
        assert structured(official)["count"] == len(series)
        lines = text_of(official).splitlines()
        assert len(lines) == len(series)
        assert lines[0].startswith("bilateral-trade 2015, Korea's statistics: $")
        assert all("statistics: " in line and "source " in line for line in lines)
        capped = structured(await client.call_tool("official_series", {"monthly": True, "limit": 5}))
        assert len(capped["rows"]) == 5
        assert capped["count"] > 1000
        bad = await client.call_tool("official_series", {"measures": ["gdp"]})
        assert bad.is_error
        assert "unknown measure 'gdp'" in text_of(bad)

        # answer_question: what `search --answer` prints, and its lines for the model.
        asked = await client.call_tool("answer_question", {"question": "2024年中韩贸易额"})
        assert structured(asked)["answers"] == answered
        assert (structured(asked)["measures"], structured(asked)["period"]) == (["bilateral-trade"], "2024")
        assert text_of(asked).splitlines()[0] == f"Answer: {answered[0]['label']}, 2024"
        vague = await client.call_tool("answer_question", {"question": "battery"})
        assert structured(vague)["answers"] == []
        assert "names no a measure" not in text_of(vague)
        assert "a measure and one period" in text_of(vague)

        # The reported figures that differ: check's rows, a line each with the gap and any likely slip.
        checked = await client.call_tool("check_figures", {"measures": ["trade"], "year": "2024"})
        rows = structured(checked)["rows"]
        assert rows == json.loads(kortrade("check", "-m", "trade", "-y", "2024", "--json", "--data", str(SHIPPED)))
        anadolu = next(line for line in text_of(checked).splitlines() if "anadolu" in line)
        assert anadolu.startswith("bilateral-trade 2024: $267.6 billion (fact bilateral-trade-2024-anadolu-2025,")
        assert anadolu.endswith("-1.94%; matches Korea's 2023 figure ($267.68 billion): a likely wrong year")
        none = await client.call_tool("check_figures", {"year": "1800"})
        assert structured(none)["count"] == 0
        assert text_of(none).startswith("No reported figure differs")

    in_session(SHIPPED, tmp_path, body)


def test_get_fact_cites_an_untitled_page_by_its_description_unquoted(tmp_path: Path) -> None:
    shown = json.loads(kortrade("show", "lee-same-sea-ships-cna-2026", "--json", "--data", str(SHIPPED)))
    source = shown["source"]
    assert source["title"].startswith("[")
    assert source["title"].endswith("]")

    async def body(client: ClientSession) -> None:
        text = text_of(await client.call_tool("get_fact", {"id": "lee-same-sea-ships-cna-2026"}))
        cite = f"Cite: {source['publisher']}, {source['title']}, {source['published']}, {source['url']}"
        assert cite in text.splitlines()
        titled = text_of(await client.call_tool("get_fact", {"id": "trade-volume-2024"}))
        assert 'Cite: CGTN, "Charting the Future of China-ROK Trade and Innovation", 2026-01-09, ' in titled

    in_session(SHIPPED, tmp_path, body)


# -- bad requests: protocol errors, and the server goes on ---------------------------------


def test_bad_requests_get_protocol_errors_and_the_server_keeps_serving(tmp_path: Path) -> None:
    async def still_serving(client: ClientSession) -> None:
        result = await client.call_tool("get_fact", {"id": "trade-volume-2024"})
        assert structured(result)["id"] == "trade-volume-2024"

    async def body(client: ClientSession) -> None:
        unknown = await protocol_error(client, "delete_everything", {})
        assert unknown.code == INVALID_PARAMS
        assert "unknown tool 'delete_everything'" in unknown.message
        assert "search_facts" in unknown.message
        await still_serving(client)

        wrong = await protocol_error(client, "search_facts", {"query": 5, "limit": "ten"})
        assert wrong.code == INVALID_PARAMS
        assert "limit must be integer, not string" in wrong.message
        assert "query must be string, not number" in wrong.message
        await still_serving(client)

        out_of_range = await protocol_error(client, "search_facts", {"query": "trade", "limit": 101})
        assert "limit must be at most 100" in out_of_range.message
        extra = await protocol_error(client, "get_fact", {"id": "trade-volume-2024", "format": "json"})
        assert "unknown argument 'format'" in extra.message
        style = await protocol_error(client, "cite_facts", {"ids": ["trade-volume-2024"], "style": "mla"})
        assert "style must be one of: plain, markdown" in style.message
        empty = await protocol_error(client, "cite_facts", {"ids": []})
        assert "ids must hold at least 1 item" in empty.message

        missing = await protocol_error(client, "get_fact", {})
        assert missing.code == INVALID_PARAMS
        assert missing.message == "invalid arguments for get_fact: missing required argument 'id'"
        await still_serving(client)

        # An id that names no fact: a tool error the model can act on (the nearest ids), not a crash.
        absent = await client.call_tool("get_fact", {"id": "trade-volume-202"})
        assert absent.is_error is True
        assert "no fact with id 'trade-volume-202'; nearest: trade-volume-2024" in text_of(absent)
        absent_cite = await client.call_tool("cite_facts", {"ids": ["trade-volume-2024", "nope"]})
        assert absent_cite.is_error is True
        await still_serving(client)

        huge = await protocol_error(client, "search_facts", {"query": "x" * 1_000_000})
        assert huge.code == INVALID_PARAMS
        assert huge.message == "invalid arguments for search_facts: query must be at most 500 characters"
        await still_serving(client)

        # A query the search cannot read, an unknown topic or measure: tool errors that say what is wrong.
        unclosed = await client.call_tool("search_facts", {"query": '"new energy'})
        assert unclosed.is_error is True
        assert "quote" in text_of(unclosed)
        topic = await client.call_tool("search_facts", {"query": "trade", "topic": "weather"})
        assert topic.is_error is True
        assert "weather" in text_of(topic)
        measure = await client.call_tool("compare_figures", {"measure": "bilateral-trad"})
        assert measure.is_error is True
        assert "unknown measure 'bilateral-trad'" in text_of(measure)

        with pytest.raises(MCPError) as no_fact:
            await client.read_resource("kortrade://fact/nope")
        assert no_fact.value.code == RESOURCE_NOT_FOUND
        with pytest.raises(MCPError) as no_kind:
            await client.read_resource("kortrade://entity/china")
        assert no_kind.value.code == RESOURCE_NOT_FOUND
        await still_serving(client)

        nothing = structured(await client.call_tool("search_facts", {"query": "zeppelin"}))
        assert nothing["facts"] == []
        assert nothing["count"] == 0

    log = in_session(CLASSIC, tmp_path, body)
    assert "Traceback" not in log


# -- raw lines on stdin ------------------------------------------------------------------------

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}},
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def search_request(request_id: int, query: str = "trade") -> dict[str, Any]:
    arguments = {"query": query, "limit": 1}
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "tools/call",
        "params": {"name": "search_facts", "arguments": arguments},
    }


def start_raw(data: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [PYTHON, "-m", "kortrade", "mcp", "--data", str(data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=server_env(),
        cwd=cwd,
    )


def send(process: subprocess.Popen[bytes], line: bytes | dict[str, Any]) -> None:
    assert process.stdin is not None
    process.stdin.write(line if isinstance(line, bytes) else json.dumps(line).encode() + b"\n")
    process.stdin.flush()


def receive(process: subprocess.Popen[bytes]) -> dict[str, Any]:
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line, "the server closed stdout"
    message: dict[str, Any] = json.loads(line)
    return message


def test_lines_that_are_not_json_rpc_get_errors_with_null_id_and_the_server_goes_on() -> None:
    process = start_raw(CLASSIC)
    try:
        send(process, INITIALIZE)
        assert receive(process)["id"] == 1
        send(process, INITIALIZED)
        send(process, b"this is not JSON {\n")
        assert receive(process) == {
            "jsonrpc": "2.0",
            "id": None,
            "error": {"code": -32700, "message": "Parse error: the line is not JSON"},
        }
        send(process, b'{"jsonrpc": "2.0", "method": 5}\n')
        invalid = receive(process)
        assert invalid["id"] is None
        assert invalid["error"]["code"] == -32600
        send(process, b'{"jsonrpc": "2.0", "id": 2, "method": "no/such/method"}\n')
        assert receive(process)["error"]["code"] == -32601
        send(process, search_request(3))
        answer = receive(process)
        assert answer["id"] == 3
        assert answer["result"]["structuredContent"]["count"] == 1
    finally:
        assert process.stdin is not None
        process.stdin.close()
        code = process.wait(timeout=30)
    assert code == 0
    assert process.stderr is not None
    assert b"Traceback" not in process.stderr.read()


def test_a_request_then_eof_is_answered_and_the_server_exits_cleanly() -> None:
    process = start_raw(CLASSIC)
    send(process, INITIALIZE)
    send(process, INITIALIZED)
    send(process, search_request(2, "battery"))
    assert process.stdin is not None
    process.stdin.close()  # the client's side is closed, a request still in flight
    assert process.stdout is not None
    lines = process.stdout.read().splitlines()
    code = process.wait(timeout=30)
    assert code == 0
    assert [json.loads(line)["id"] for line in lines] == [1, 2]
    assert json.loads(lines[1])["result"]["structuredContent"]["count"] == 1
    assert process.stderr is not None
    assert b"Traceback" not in process.stderr.read()


def test_eof_before_anything_ends_quietly() -> None:
    done = subprocess.run(
        [PYTHON, "-m", "kortrade", "mcp", "--data", str(CLASSIC)],
        input=b"",
        capture_output=True,
        env=server_env(),
        timeout=30,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout == b""
    assert b"Traceback" not in done.stderr


# -- the data file ------------------------------------------------------------------------------

BROKEN = MINIMAL.replace("    unit: USD\n", "    unit: USD\n    colour: red\n", 1)


def test_an_invalid_data_file_is_a_protocol_error_naming_file_line_and_column(tmp_path: Path) -> None:
    data = tmp_path / "facts.yaml"
    data.write_text(BROKEN, encoding="utf-8")
    line = BROKEN.splitlines().index("    colour: red") + 1

    async def body(client: ClientSession) -> None:
        tools = (await client.list_tools()).tools
        assert {t.name for t in tools} == TOOLS
        error = await protocol_error(client, "search_facts", {"query": "trade"})
        assert error.code == -32603
        assert f"{data}:{line}:5: " in error.message
        assert "colour" in error.message
        assert error.data["problems"][0]["line"] == line
        assert error.data["problems"][0]["column"] == 5
        with pytest.raises(MCPError) as reading:
            await client.read_resource("kortrade://fact/fact-one")
        assert f"{data}:{line}:5: " in reading.value.message
        # Fixed, the file is read again on the next call: no restart.
        data.write_text(MINIMAL, encoding="utf-8")
        fixed = await client.call_tool("search_facts", {"query": "trade"})
        assert structured(fixed)["facts"][0]["id"] == "fact-one"

    log = in_session(data, tmp_path, body)
    assert f"{data}:{line}:5: " in log
    assert "Traceback" not in log


def test_a_missing_data_file_names_it(tmp_path: Path) -> None:
    data = tmp_path / "nowhere.yaml"

    async def body(client: ClientSession) -> None:
        error = await protocol_error(client, "get_fact", {"id": "fact-one"})
        assert str(data) in error.message

    in_session(data, tmp_path, body)


def test_nothing_is_written_outside_the_cache_and_the_index_is_reused(tmp_path: Path) -> None:
    home = tmp_path / "data"
    home.mkdir()
    data = home / "facts.yaml"
    data.write_text(MINIMAL, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    cache = Path(os.environ["KORTRADE_CACHE_DIR"])
    before = set(cache.rglob("*"))

    async def one_session() -> None:
        with (tmp_path / "stderr.log").open("w", encoding="utf-8") as errlog:
            async with session(data, errlog, cwd=work) as client:
                assert structured(await client.call_tool("get_fact", {"id": "fact-one"}))["id"] == "fact-one"

    anyio.run(one_session)
    # An index is built into a new file and renamed into place: the same inode is the same index.
    built = {p: p.stat().st_ino for p in set(cache.rglob("*")) - before}
    assert built, "the index is in the cache"
    anyio.run(one_session)
    assert {p: p.stat().st_ino for p in built} == built
    assert list(work.iterdir()) == []
    assert sorted(p.name for p in home.iterdir()) == ["facts.yaml"]


# -- without the extra -------------------------------------------------------------------------


def test_without_the_sdk_it_says_how_to_install_it_and_exits_2() -> None:
    code = (
        "import sys; sys.modules['mcp'] = None; sys.argv = ['kortrade', 'mcp']; "
        "from kortrade.__main__ import main; main()"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, env=server_env(), timeout=60, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == 'kortrade: the MCP server needs the SDK: pip install "kortrade[mcp]"\n'


# -- a long session ------------------------------------------------------------------------------


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def server_pid() -> int:
    """The pid of the one ``kortrade mcp`` process this test process started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == os.getpid() and b"mcp" in cmdline and b"kortrade" in cmdline:
            found.append(int(entry.name))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's memory from /proc (Linux)")
def test_a_thousand_calls_in_one_session_do_not_grow_memory(tmp_path: Path) -> None:
    samples: list[int] = []

    async def body(client: ClientSession) -> None:
        pid = server_pid()
        queries = ["trade", "battery OR semi*", "Samsung", "investment", "chips"]
        ids = ["trade-volume-2024", "samsung-exports-value-2024", "rok-rank-as-china-partner"]
        for n in range(1000):
            if n % 2:
                result = await client.call_tool("get_fact", {"id": ids[n % len(ids)]})
            else:
                result = await client.call_tool("search_facts", {"query": queries[n % len(queries)], "limit": 5})
            assert not result.is_error
            if n in (199, 599, 999):
                samples.append(rss_kib(pid))

    started = time.monotonic()
    in_session(CLASSIC, tmp_path, body)
    assert time.monotonic() - started < 120
    warm, middle, end = samples
    # Caches fill in the first calls; after them, 800 more calls may not add 2 MiB (measured: 4 KiB).
    assert end - warm < 2048, samples
    assert end - middle < 1024, samples


# -- the README's configurations -------------------------------------------------------------


def readme_configurations() -> list[dict[str, Any]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## For AI assistants", 1)[1].split("\n## ", 1)[0]
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", section, flags=re.S)]


def test_the_readme_configurations_start_a_server_that_answers(tmp_path: Path) -> None:
    configurations = readme_configurations()
    assert len(configurations) == 2
    installed = Path(sys.executable).parent / "kortrade"  # the user's own path in the README; here, ours

    async def ask(entry: dict[str, Any]) -> None:
        assert Path(entry["command"]).name == "kortrade"
        args = [a.replace("${workspaceFolder}", str(REPO)) for a in entry["args"]]
        # The README's example data path is the user's; here it is the shipped file.
        env = {**server_env(), **{k: str(SHIPPED) for k in entry.get("env", {})}}
        params = StdioServerParameters(command=str(installed), args=args, env=env)
        with (tmp_path / "stderr.log").open("w", encoding="utf-8") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write), ClientSession(read, write) as client:
                await client.initialize()
                found = structured(await client.call_tool("get_fact", {"id": "trade-volume-2024"}))
                assert found["corroboration"]["measure"] == "bilateral-trade"  # the shipped file's

    for configuration in configurations:
        (entry,) = (configuration.get("mcpServers") or configuration["servers"]).values()
        anyio.run(ask, entry)


@pytest.mark.parametrize("request_id", [[1], {"id": 1}], ids=["list", "object"])
def test_a_cancellation_naming_no_valid_id_is_dropped_and_the_server_goes_on(request_id: object) -> None:
    """A notification is never answered (JSON-RPC 2.0); a malformed one, before or after initialize, is dropped."""
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": request_id}}
    process = start_raw(CLASSIC)
    try:
        send(process, cancel)
        send(process, INITIALIZE)
        assert receive(process)["id"] == 1
        send(process, INITIALIZED)
        send(process, cancel)
        send(process, search_request(2))
        answer = receive(process)
        assert answer["id"] == 2
        assert answer["result"]["structuredContent"]["count"] == 1
    finally:
        assert process.stdin is not None
        process.stdin.close()
        code = process.wait(timeout=30)
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.read() == b""
    assert code == 0
    assert b"Traceback" not in process.stderr.read()


def test_a_named_pipe_as_data_is_refused_in_one_line_without_blocking(tmp_path: Path) -> None:
    """Opening a FIFO with no writer blocks for good: the server must say no before it opens it."""
    fifo = tmp_path / "facts.yaml"
    os.mkfifo(fifo)
    (ran,) = run_bounded(["mcp", "--data", str(fifo)], cwd=tmp_path, env=server_env())
    ran.check_bounds()
    assert (ran.code, ran.stdout) == (2, b"")
    assert ran.stderr_lines() == [
        f"{fifo}: is a pipe; the MCP server reads its data file again whenever it changes: give a file"
    ]


# -- the wire: request ids, backpressure, a closed or full stdout ------------------------------


@pytest.mark.parametrize("request_id", [1.5, None, True, {}, [2]], ids=["fraction", "null", "true", "object", "list"])
def test_a_request_whose_id_is_not_a_string_or_an_integer_is_an_invalid_request(request_id: object) -> None:
    """JSON-RPC 2.0: the request is invalid, so the error's id is null; the server goes on."""
    process = start_raw(CLASSIC)
    try:
        send(process, INITIALIZE)
        assert receive(process)["id"] == 1
        send(process, INITIALIZED)
        send(process, {"jsonrpc": "2.0", "id": request_id, "method": "ping"})
        send(process, {"jsonrpc": "2.0", "id": "7", "method": "ping"})  # so that no answer is no hang
        assert receive(process) == {
            "jsonrpc": "2.0",
            "id": None,
            "error": {"code": -32600, "message": "Invalid Request: a request's id must be a string or an integer"},
        }
        assert receive(process) == {"jsonrpc": "2.0", "id": "7", "result": {}}
    finally:
        assert process.stdin is not None
        process.stdin.close()
        code = process.wait(timeout=30)
    assert code == 0
    assert process.stderr is not None
    assert process.stderr.read() == b""


def test_a_client_that_reads_nothing_cannot_make_the_server_hold_answers_without_bound(tmp_path: Path) -> None:
    """1,500 requests and nothing read for 2 s: the server stops reading (the client's writes wait)
    instead of queueing every answer. Before: it read them all and peaked at 148 MiB (67 MiB idle)."""
    count = 1500
    peak = tmp_path / "peak"
    process = popen_measured(
        ["mcp", "--data", str(CLASSIC)],
        peak,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=server_env(),
    )
    assert process.stdin is not None
    try:
        send(process, INITIALIZE)
        assert receive(process)["id"] == 1
        send(process, INITIALIZED)
        # 250 bytes a request (JSON allows the spaces): 375 KB, more than pipes and read-ahead hold.
        requests = b"".join(
            b'{"jsonrpc": "2.0", "method": "tools/list", "id": %d%s}\n' % (n, b" " * 200) for n in range(2, count + 2)
        )
        writer = threading.Thread(target=send, args=(process, requests), daemon=True)
        writer.start()
        time.sleep(2)
        assert writer.is_alive(), "the server read every request while none of its answers was read"
        answered = sorted(receive(process)["id"] for _ in range(count))
        writer.join(timeout=60)
        assert not writer.is_alive()
    finally:
        process.stdin.close()
        assert process.stdout is not None
        rest = process.stdout.read()  # answers left if the test failed: the server waits for them to be read
        code = process.wait(timeout=60)
    assert (code, rest) == (0, b"")
    assert answered == list(range(2, count + 2))
    assert process.stderr is not None
    assert process.stderr.read() == b""
    assert peak_mib(peak) < 100


def run_mcp(redirect: str, stdin: bytes) -> subprocess.CompletedProcess[bytes]:
    """``kortrade mcp`` with a shell redirection of its own (``>&-``, ``>/dev/full``, ``<&-``)."""
    return subprocess.run(
        ["bash", "-c", f'exec "$0" "$@" {redirect}', PYTHON, "-m", "kortrade", "mcp", "--data", str(CLASSIC)],
        input=stdin,
        capture_output=True,
        env=server_env(),
        timeout=30,
        check=False,
    )


@pytest.mark.parametrize(
    ("redirect", "reason"),
    [(">&-", "Bad file descriptor"), (">/dev/full", "No space left on device")],
    ids=["stdout-closed", "stdout-full"],
)
def test_a_closed_or_full_stdout_is_one_line_and_exit_74(redirect: str, reason: str) -> None:
    if redirect == ">/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    done = run_mcp(redirect, json.dumps(INITIALIZE).encode() + b"\n")
    assert (done.returncode, done.stdout) == (74, b"")
    assert done.stderr.decode() == f"kortrade: cannot write output: {reason}\n"


def test_a_closed_stdin_is_eof() -> None:
    done = run_mcp("<&-", b"")
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


def test_a_client_that_goes_away_mid_session_is_one_line_and_exit_74() -> None:
    """The client stops reading (its end of stdout closed) with a request in flight."""
    process = start_raw(CLASSIC)
    assert process.stdout is not None
    assert process.stdin is not None
    send(process, INITIALIZE)
    assert receive(process)["id"] == 1
    send(process, INITIALIZED)
    process.stdout.close()
    send(process, search_request(2))
    process.stdin.close()
    code = process.wait(timeout=30)
    assert process.stderr is not None
    assert process.stderr.read().decode() == "kortrade: cannot write output: Broken pipe\n"
    assert code == 74
