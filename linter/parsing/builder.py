"""From text to document model: grammar -> syntax tree -> Report.

The grammar splits the file into line tokens and groups them into blocks; this module reads the
inside of each line (heading number and title, table cells, caption attributes, front matter
fields) and nests the sections. Every node gets the span of its exact characters.
"""

from __future__ import annotations

import re
from array import array
from pathlib import Path
from typing import Any

from linter.model import (
    Blank,
    Block,
    Caption,
    Cell,
    Comment,
    Directive,
    FrontMatter,
    Heading,
    LineIndex,
    ListBlock,
    ListItem,
    MetaField,
    Paragraph,
    Report,
    Row,
    Section,
    Span,
    Table,
    split_row_bounds,
    ThematicBreak,
)
from linter.parsing.errors import ReportInputError, ReportSyntaxError, SyntaxProblem
from linter.parsing.numbers import parse_cell_value

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_new_tuple = tuple.__new__
MAX_PROBLEMS = 20
# Sections nest by their numbers, so a hostile file could nest thousands deep and every
# recursive walk over the tree would overflow; real reports nest five deep at most.
MAX_SECTION_DEPTH = 32

_HEADING = re.compile(r"(?P<indent>[ ]{0,3})(?P<hashes>#{1,6})(?P<gap>[ \t]*)(?P<rest>.*?)[ \t#]*$")
_HEADING_NUMBER = re.compile(r"(?P<number>\d{1,2}(?:\.\d{1,3})*\.?)(?=[ \t]|$)[ \t]*")
_LIST_ITEM = re.compile(r"(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?:[ \t]+(?P<box>\[[ xX]\](?=[ \t]|$))?[ \t]*(?P<text>.*))?$")
_ATTR_BLOCK = re.compile(r"\{(?P<body>[^{}]*)\}[ \t]*$")
_ATTR = re.compile(r'#(?P<id>[^\s"{}]+)|(?P<key>[^\s="{}#]+)=(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s"{}]*)(?!"))')
_UNCLOSED_QUOTE = re.compile(r'(?P<key>[^\s="{}#]+)="(?P<value>[^"]*)$')
_META = re.compile(r"(?P<key>[^\s:#][^:]*?)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")


def read_report_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read and decode a report file, with clear errors for what cannot be a report."""
    shown = str(path)
    return decode_report_bytes(read_input_bytes(path, shown, max_bytes), shown, max_bytes)


def read_input_bytes(path: Path, shown: str, max_bytes: int) -> bytes:
    """An input file's bytes, with clear errors (missing, a directory, no access, over the
    limit). Never reads more than ``max_bytes`` + 1 bytes, whatever the path is (a device, a pipe)."""
    import os
    import stat

    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
                raise ReportInputError(
                    shown,
                    f"filen er {info.st_size} byte, over grensen på {max_bytes} byte (endre med --max-bytes)",
                    f"the file is {info.st_size} bytes, over the limit of {max_bytes} bytes (change with --max-bytes)",
                )
            data = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise ReportInputError(shown, "er en mappe, ikke en fil", "is a directory, not a file") from None
    except FileNotFoundError:
        raise ReportInputError(shown, "filen finnes ikke", "no such file") from None
    except PermissionError:
        raise ReportInputError(shown, "mangler lesetilgang til filen", "permission denied") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ReportInputError(shown, f"kan ikke lese filen ({reason})", f"cannot read the file ({reason})") from None
    return data


def decode_report_bytes(data: bytes, shown: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    if len(data) > max_bytes:
        raise ReportInputError(
            shown,
            f"inndata er større enn grensen på {max_bytes} byte (endre med --max-bytes)",
            f"the input is larger than the limit of {max_bytes} bytes (change with --max-bytes)",
        )
    if not data:
        raise ReportInputError(
            shown,
            "filen er tom: en rapport starter med front matter (---, bydel, dokument, år, ---)",
            "the file is empty: a report starts with front matter (---, bydel, dokument, år, ---)",
        )
    from linter.discovery import sniff

    kind = sniff(data)
    if kind is not None:
        name_nb, name_en, advice_nb, advice_en = kind
        raise ReportInputError(
            shown,
            f"dette er {name_nb}, ikke en rapport i tekstformat: {advice_nb}",
            f"this is {name_en}, not a report in the text format: {advice_en}",
        )
    encoding = _wide_encoding(data)
    if encoding:
        raise ReportInputError(
            shown,
            f"filen er {encoding}, ikke UTF-8; lagre den som UTF-8",
            f"the file is {encoding}, not UTF-8; save it as UTF-8",
        )
    nul = data.find(b"\x00")
    if nul != -1:
        raise ReportInputError(
            shown,
            f"filen inneholder NUL-tegn (første ved byte {nul}): det ser ut som binærdata, ikke en rapport",
            f"the file contains NUL characters (the first at byte offset {nul}): it looks like binary data, not a report",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        # A lone byte from 0xc0 up is most likely a Latin-1 / Windows-1252 letter (å = 0xe5).
        guess_nb = guess_en = ""
        if byte >= 0xC0 or byte in (0xA7, 0xB0, 0xBD):
            char = bytes([byte]).decode("cp1252")
            guess_nb = f"; trolig «{char}» i Latin-1/Windows-1252"
            guess_en = f"; probably «{char}» in Latin-1/Windows-1252"
        raise ReportInputError(
            shown,
            f"filen er ikke UTF-8: ugyldig byte 0x{byte:02x} ved byte {exc.start} "
            f"(linje {line}, kolonne {column}{guess_nb}); lagre filen som UTF-8",
            f"the file is not UTF-8: invalid byte 0x{byte:02x} at byte offset {exc.start} "
            f"(line {line}, column {column}{guess_en}); save the file as UTF-8",
        ) from None


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32, by byte-order mark, or for text without one by where its NULs fall
    (every other byte NUL: ASCII-heavy UTF-16)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    sample = data[:4096]
    if len(sample) >= 4 and b"\x00" in sample:
        half = len(sample) // 2
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if (odd >= 0.4 * half and even <= 0.05 * half) or (even >= 0.4 * half and odd <= 0.05 * half):
            return "UTF-16"
    return None


def parse_report(text: str, display_path: str = "<tekst>", path: Path | None = None, recover: bool = False) -> Report:
    """Parse report text into a :class:`Report`.

    Without ``recover`` any problem raises :class:`ReportSyntaxError` (all of them, at most
    ``MAX_PROBLEMS``, in file order). With ``recover`` (the engine) the report is built anyway
    from everything that could be read, and ``report.problems`` holds what was read around, for
    the P rules; only NUL characters (binary data) still raise."""
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        raise ReportSyntaxError(display_path, [SyntaxProblem(
            line, offset - (text.rfind("\n", 0, offset) + 1) + 1,
            "filen inneholder NUL-tegn: det ser ut som binærdata, ikke en rapport",
            "the file contains NUL characters: it looks like binary data, not a report",
            "Kontroller at det er riktig fil.", "Check that this is the right file.",
        )])
    bom = text.startswith("\ufeff")
    source = text[1:] if bom else text
    builder = _Builder(source, display_path)
    # Building allocates a few objects per cell and frees almost none: the cyclic garbage
    # collector's passes over them found nothing and cost a quarter of the time on a large
    # report (bench/README.md). Off while building, back on after.
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        tree = builder.parse_tree()
        if tree is not None:
            builder.add_blocks(tree)
        report = builder.finish(bom=bom, path=path)
    finally:
        if was_enabled:
            gc.enable()
    if builder.problems:
        if not recover:
            raise ReportSyntaxError(display_path, builder.sorted_problems())
        report.problems = builder.sorted_problems(limit=None)
    from linter.parsing.continuation import merge_continuations

    merge_continuations(report)
    return report


# A line where parsing can start again after an error: a blank line or a heading, which are
# valid at the start of any block sequence.
_RESTART_LINE = re.compile(r"^(?:[ \t]*\r?\n|[ ]{0,3}#{1,6}(?:[ \t][^\n]*)?\r?\n)", re.MULTILINE)
_BLANK_LINE = re.compile(r"^[ \t]*\r?\n", re.MULTILINE)


class _Builder:
    def __init__(self, source: str, display_path: str):
        self.source = source
        self.length = len(source)
        self.display_path = display_path
        # The grammar wants every line to end in "\n".
        self.parse_text = source if source.endswith("\n") or not source else source + "\n"
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
        if source.endswith("\n"):
            self.line_starts.pop()
        if not source:
            self.line_starts = [0]
        # Shared by the nodes that make their span when it is read (linter/model.py); its list
        # becomes a compact array when the report is finished.
        self.lines = LineIndex(self.line_starts, self.length)
        self.problems: list[SyntaxProblem] = []
        # What has been read so far (several stretches after an error, in file order).
        self.front_matter: FrontMatter | None = None
        self.blocks: list[Block] = []
        self.tables: list[Table] = []
        # One string object per distinct cell text: figures and labels repeat across tables.
        self.texts: dict[str, str] = {}
        self.directives: list[Directive] = []

    # ------------------------------------------------------------ positions
    def span(self, start: int, end: int) -> Span:
        # The grammar sees a final "\n" the file may lack: no span reaches past the source.
        return self.lines.span(start, end)

    def problem(self, offset: int, nb: str, en: str, hint_nb: str = "", hint_en: str = "",
                code: str = "P004", end: int | None = None) -> None:
        span = self.span(offset, offset)
        self.problems.append(SyntaxProblem(span.line, span.column, nb, en, hint_nb, hint_en, code,
                                           min(offset, len(self.source)), min(end if end is not None else offset, len(self.source))))

    def sorted_problems(self, limit: int | None = MAX_PROBLEMS) -> list[SyntaxProblem]:
        unique = {(p.line, p.column, p.message_en): p for p in self.problems}
        ordered = sorted(unique.values(), key=lambda p: (p.line, p.column))
        return ordered if limit is None else ordered[:limit]

    # ------------------------------------------------------------ grammar
    def parse_tree(self):
        """The syntax tree, or None after grammar errors (then ``problems`` holds them all)."""
        from linter.parsing.grammar import report_parser
        from linter.parsing.lalr import UnexpectedInput

        try:
            return report_parser().parse(self.parse_text)
        except UnexpectedInput as exc:
            self._recover(exc)
        return None

    def _recover(self, error) -> None:
        """Report ``error``, then parse on from the next blank line or heading, again and again,
        until the end of the file or MAX_PROBLEMS. Each clean stretch is built into blocks too,
        so its table and attribute problems are reported alongside the grammar errors."""
        from linter.parsing.grammar import report_parser
        from linter.parsing.lalr import UnexpectedInput

        parser = report_parser()
        text = self.parse_text
        segment_start = 0
        while True:
            offset = self._explain(error)
            line_start = text.rfind("\n", 0, min(offset, len(text))) + 1 if offset < len(text) else len(text)
            self._salvage(segment_start, line_start)
            if len(self.problems) >= MAX_PROBLEMS:
                return
            unclosed_front_matter = self._front_matter_unclosed(error)
            if unclosed_front_matter:
                # Everything after "---" was read as front matter: the body starts at the
                # first blank line or heading after it, and the lines before it are its fields.
                line_start = text.find("\n") + 1
            if line_start <= segment_start:  # no progress: never parse the same stretch twice
                next_line = text.find("\n", segment_start)
                line_start = len(text) if next_line == -1 else next_line + 1
            restart = _RESTART_LINE.search(text, line_start)
            if unclosed_front_matter and segment_start == 0:
                self._unclosed_front_matter(restart.start() if restart else len(text))
            if restart is None or restart.start() >= len(text):
                return
            segment_start = restart.start()
            try:
                tree = parser.parse(text, segment_start, len(text))
            except UnexpectedInput as exc:
                error = exc
                continue
            self.add_blocks(tree)
            return

    def _unclosed_front_matter(self, end: int) -> None:
        """The fields of a front matter block that is never closed: its lines up to ``end``."""
        from linter.parsing.lalr import Token

        tokens = []
        pos = 0
        for line in self.parse_text[:end].splitlines(keepends=True):
            tokens.append(Token("FM_LINE", line, start_pos=pos, end_pos=pos + len(line)))
            pos += len(line)
        if tokens:
            self.front_matter = self.front_matter_of(tokens + [Token("FM_CLOSE", "", start_pos=end, end_pos=end)])

    def _salvage(self, start: int, error_line: int) -> None:
        """Build what parses cleanly before the error's block, for its table problems. The cut
        is the last blank line before the error; a cut that lands inside a comment simply does
        not parse, and then nothing is salvaged (no error is made up)."""
        from linter.parsing.grammar import report_parser
        from linter.parsing.lalr import UnexpectedInput

        cut = None
        for match in _BLANK_LINE.finditer(self.parse_text, start, error_line):
            cut = match.end()
        if cut is None or cut <= start:
            return
        try:
            tree = report_parser().parse(self.parse_text, start, cut)
        except UnexpectedInput:
            return
        self.add_blocks(tree)

    @staticmethod
    def _front_matter_unclosed(error) -> bool:
        expected = getattr(error, "expected", None) or getattr(error, "allowed", None) or ()
        return "FM_CLOSE" in expected

    def _explain(self, exc) -> int:
        """Add the problem for a parse error; return its offset in the text."""
        from linter.parsing.lalr import UnexpectedCharacters

        if isinstance(exc, UnexpectedCharacters):
            self._explain_characters(exc)
            return exc.pos_in_stream
        token = exc.token
        if token.type == "$END":
            self._explain_token("$END", set(exc.expected), len(self.source))
            return len(self.parse_text)
        offset = token.start_pos if token.start_pos is not None else len(self.source)
        self._explain_token(token.type, set(exc.expected), offset)
        return offset

    def _explain_characters(self, exc) -> None:
        offset = exc.pos_in_stream
        allowed = set(exc.allowed or ())
        rest = self.parse_text[offset : offset + 4]
        if allowed == {"TABLE_DELIM"}:
            self.problem(
                offset,
                "tabellen mangler skillelinjen under overskriftsraden",
                "the table has no delimiter row below its header row",
                "Sett inn en linje som |---|---:| rett under overskriftsraden, med like mange kolonner.",
                "Insert a line such as |---|---:| right below the header row, with as many columns.",
                code="P002",
            )
        elif rest.lstrip(" ").startswith("<!--"):
            self.problem(
                offset,
                "HTML-kommentaren blir aldri avsluttet",
                "the HTML comment is never closed",
                "Avslutt kommentaren med -->.",
                "Close the comment with -->.",
            )
        else:
            self.problem(
                offset,
                "uventet tekst: linjen passer ikke i formatet her",
                "unexpected text: the line does not fit the format here",
                "Se docs/format.md for hvilke linjer formatet kjenner.",
                "See docs/format.md for the line kinds of the format.",
            )

    def _explain_token(self, token_type: str, expected: set[str], offset: int) -> None:
        if self.parse_text[offset : offset + 8].lstrip(" ").startswith("<!--"):
            self.problem(
                offset,
                "HTML-kommentaren blir aldri avsluttet",
                "the HTML comment is never closed",
                "Avslutt kommentaren med -->.",
                "Close the comment with -->.",
            )
        elif "FM_CLOSE" in expected:
            self.problem(
                0,
                "front matter starter på linje 1, men blir aldri avsluttet med ---",
                "the front matter opens on line 1 but is never closed with ---",
                "Avslutt front matter med en linje som bare inneholder ---.",
                "Close the front matter with a line holding only ---.",
            )
        elif expected == {"TABLE_ROW"}:
            self.problem(
                offset,
                "tabelltekst (linje som starter med ': ') må stå rett over en tabell",
                "a caption line (starting with ': ') must stand directly above a table",
                "Fjern den tomme linjen mellom tabellteksten og tabellen, eller fjern tabellteksten.",
                "Remove the blank line between the caption and its table, or remove the caption.",
            )
        elif expected == {"TABLE_DELIM"}:
            self.problem(
                offset,
                "tabellen mangler skillelinjen under overskriftsraden",
                "the table has no delimiter row below its header row",
                "Sett inn en linje som |---|---:| rett under overskriftsraden.",
                "Insert a line such as |---|---:| right below the header row.",
                code="P002",
            )
        else:
            found_nb, found_en = _LINE_KINDS.get(token_type, (token_type, token_type))
            want_nb = ", ".join(sorted({_LINE_KINDS.get(t, (t, t))[0] for t in expected}))
            want_en = ", ".join(sorted({_LINE_KINDS.get(t, (t, t))[1] for t in expected}))
            self.problem(
                offset,
                f"uventet {found_nb} her; ventet {want_nb}",
                f"unexpected {found_en} here; expected {want_en}",
                "Se docs/format.md for hvordan blokkene settes sammen.",
                "See docs/format.md for how blocks fit together.",
            )

    # ------------------------------------------------------------ model
    def build(self, tree, bom: bool, path: Path | None) -> Report:
        self.add_blocks(tree)
        return self.finish(bom, path)

    def add_blocks(self, tree) -> None:
        """Read the blocks of a (stretch of the) syntax tree into the report being built."""
        from linter.parsing.lalr import Tree

        children = _split_trailing_blanks(tree.children)
        # Each block's tokens are freed as soon as it is read: the tree and its tokens hold a copy
        # of the whole text (about five times its size), and the model is built beside it.
        tree.children = []
        if self.front_matter is None and not self.blocks:
            children = self._late_front_matter(children)
        blocks, tables, directives = self.blocks, self.tables, self.directives
        for position in range(len(children)):
            node = children[position]
            children[position] = None
            if not isinstance(node, Tree):  # a BLANK or BREAK token
                span = self.span(node.start_pos, node.end_pos)
                # A blank line is a whole line: its number says where it starts and ends.
                blocks.append(Blank(span.line, self.lines) if node.type == "BLANK" else ThematicBreak(span))
                continue
            kind = node.data
            tokens: list[Any] = node.children
            if kind == "front_matter":
                self.front_matter = self.front_matter_of(tokens)
            elif kind == "heading":
                blocks.append(self.heading(tokens[0]))
            elif kind == "table" or kind == "table_without_delimiter":
                table = self.table(tokens, delimited=kind == "table")
                blocks.append(table)
                tables.append(table)
            elif kind == "caption_alone":
                token = tokens[0]
                self.problem(
                    token.end_pos,
                    "tabelltekst (linje som starter med ': ') må stå rett over en tabell",
                    "a caption line (starting with ': ') must stand directly above a table",
                    "Fjern den tomme linjen mellom tabellteksten og tabellen, eller fjern tabellteksten.",
                    "Remove the blank line between the caption and its table, or remove the caption.",
                    code="P004",
                )
                line = str(token).rstrip("\r\n")
                blocks.append(Paragraph(line.strip(), token.start_pos, min(token.start_pos + len(line), self.length),
                                        self.lines))
            elif kind == "unclosed_comment":
                token = tokens[0]
                self.problem(
                    token.start_pos + len(str(token)) - len(str(token).lstrip(" ")),
                    "HTML-kommentaren blir aldri avsluttet",
                    "the HTML comment is never closed",
                    "Avslutt kommentaren med --> (uten den skjules resten av filen når rapporten vises).",
                    "Close the comment with --> (without it the rest of the file is hidden when the report is shown).",
                    code="P004",
                )
                line = str(token).rstrip("\r\n")
                blocks.append(Comment(line.strip()[4:], self.span(token.start_pos, token.end_pos)))
            elif kind == "paragraph":
                text = " ".join(line.strip() for token in tokens for line in str(token)[:-1].split("\n"))
                blocks.append(Paragraph(text, tokens[0].start_pos, min(tokens[-1].end_pos, self.length), self.lines))
            elif kind == "list":
                blocks.append(self.list_block(tokens))
            elif kind == "comment":
                comment = self.comment(tokens[0])
                blocks.append(comment)
                body = comment.text.strip()
                if body.startswith("rapportlint:"):
                    directives.append(Directive(body[len("rapportlint:"):].strip(), comment.span))

    def _late_front_matter(self, children: list) -> list:
        """Front matter below blank lines or comments (a blank first line, a comment before it):
        the grammar reads its fences as thematic breaks and its fields as a paragraph. Read it as
        front matter (marked ``late``; M101 reports it), so the report is still checked against
        its rule pack."""
        from linter.parsing.lalr import Token, Tree

        index = 0
        while index < len(children) and (
            (not isinstance(children[index], Tree) and children[index].type == "BLANK")
            or (isinstance(children[index], Tree) and children[index].data == "comment")
        ):
            index += 1
        if index == 0 or index + 2 >= len(children):
            return children
        opening, body, closing = children[index : index + 3]
        fence = re.compile(r"---[ \t]*\r?\n")
        if not (not isinstance(opening, Tree) and fence.fullmatch(str(opening))
                and not isinstance(closing, Tree) and fence.fullmatch(str(closing))
                and isinstance(body, Tree) and body.data == "paragraph"):
            return children
        # The paragraph is one token; the front matter reads its lines one by one.
        lines = [Token("FM_LINE", line + "\n", start_pos=start, end_pos=start + len(line) + 1)
                 for token in body.children for start, line, _ in _token_lines(token, keep_cr=True)]
        if not all(_META.fullmatch(str(t).rstrip("\r\n")) for t in lines):
            return children
        self.front_matter = self.front_matter_of([opening, *lines, closing])
        self.front_matter.late = True
        return children[:index] + children[index + 3 :]

    def finish(self, bom: bool, path: Path | None) -> Report:
        root = self.sections(self.blocks)
        return Report(
            path=path,
            display_path=self.display_path,
            source=self.source,
            bom=bom,
            front_matter=self.front_matter,
            blocks=self.blocks,
            root=root,
            tables=self.tables,
            directives=self.directives,
            line_starts=self._compact_line_starts(),
        )

    def _compact_line_starts(self) -> array:
        """The line starts as an array of ints (8 bytes each, not an int object and a pointer),
        shared by the report and the nodes' LineIndex."""
        starts = array("q", self.line_starts)
        self.lines.starts = starts
        return starts

    def front_matter_of(self, tokens) -> FrontMatter:
        fields: dict[str, MetaField] = {}
        for token in tokens[1:-1]:
            line = str(token).rstrip("\r\n")
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            match = _META.fullmatch(line)
            if match is None:
                self.problem(
                    token.start_pos,
                    f"ugyldig linje i front matter: {stripped!r}",
                    f"invalid front matter line: {stripped!r}",
                    "Skriv hver linje som 'nøkkel: verdi', f.eks. 'år: 2024'.",
                    "Write each line as 'key: value', e.g. 'år: 2024'.",
                )
                continue
            key = match["key"].strip()
            value = match["value"]
            v_start = token.start_pos + match.start("value")
            v_end = token.start_pos + match.end("value")
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if key in fields:
                self.problem(
                    token.start_pos,
                    f"nøkkelen {key!r} står to ganger i front matter",
                    f"the key {key!r} appears twice in the front matter",
                    "Fjern den ene.",
                    "Remove one of them.",
                )
                continue
            fields[key] = MetaField(
                key, value, self.span(token.start_pos, token.start_pos + len(line)), self.span(v_start, v_end)
            )
        return FrontMatter(fields, self.span(tokens[0].start_pos, tokens[-1].end_pos))

    def heading(self, token) -> Heading:
        line = str(token).rstrip("\r\n")
        match = _HEADING.fullmatch(line)
        assert match is not None  # the grammar only lets heading lines through
        rest_start = match.start("rest")
        rest = match["rest"]
        number = None
        num = _HEADING_NUMBER.match(rest)
        title_offset = rest_start
        if num:
            number = num["number"]
            title_offset = rest_start + num.end()
        title = line[title_offset : match.end("rest")]
        return Heading(len(match["hashes"]), number, title.strip(), token.start_pos, min(token.end_pos, self.length),
                       rest_start, title_offset, match.end("rest"), self.lines)

    def comment(self, token) -> Comment:
        raw = str(token).rstrip("\r\n").rstrip()
        start = raw.index("<!--")
        return Comment(raw[start + 4 : -3], self.span(token.start_pos, token.end_pos))

    def list_block(self, tokens) -> ListBlock:
        items = []
        for token in tokens:
            for start, line, _ in _token_lines(token):
                match = _LIST_ITEM.fullmatch(line)
                assert match is not None
                box = match["box"]
                task = None if box is None else box[1] in "xX"
                items.append(ListItem((match["text"] or "").strip(), task, len(match["indent"]), start,
                                      min(start + len(line), self.length), self.lines))
        return ListBlock(items, self.span(tokens[0].start_pos, tokens[-1].end_pos))

    # ------------------------------------------------------------ tables
    def table(self, tokens, delimited: bool = True) -> Table:
        caption = None
        if tokens[0].type == "CAPTION":
            caption = self.caption(tokens[0])
            tokens = tokens[1:]
        header = self.row(tokens[0], -1)
        width = len(header.cells)
        if delimited:
            delimiter = tokens[1]
            delimiter_span = self.span(delimiter.start_pos, delimiter.end_pos)
            body = tokens[2:]
            delimiter_cells = self.split_row(str(delimiter).rstrip("\r\n"))
            if len(delimiter_cells) != width:
                self.problem(
                    delimiter.start_pos,
                    f"skillelinjen har {len(delimiter_cells)} kolonner, men overskriftsraden har {width}",
                    f"the delimiter row has {len(delimiter_cells)} columns but the header row has {width}",
                    "Gi skillelinjen like mange |---| som overskriftsraden har kolonner.",
                    "Give the delimiter row as many |---| as the header row has columns.",
                    code="P001", end=delimiter.start_pos + len(str(delimiter).rstrip("\r\n")),
                )
        else:
            # The rows are read all the same; where the delimiter row should be is reported.
            body = tokens[1:]
            end = min(tokens[0].end_pos, len(self.source))
            delimiter_span = self.span(end, end)
            self.problem(
                tokens[0].end_pos,
                "tabellen mangler skillelinjen under overskriftsraden",
                "the table has no delimiter row below its header row",
                "Sett inn en linje som |---|---:| rett under overskriftsraden, med like mange kolonner.",
                "Insert a line such as |---|---:| right below the header row, with as many columns.",
                code="P002",
            )
        rows = []
        damaged = False
        lines = [line for token in body for line in _token_lines(token)]
        for index, (base, line, line_no) in enumerate(lines):
            row = self.row_at(base, line, line_no, 1, index)
            if len(row.cells) != width:
                damaged = True
                more = len(row.cells) > width
                self.problem(
                    row.cells[width].span.offset if more else row.span.offset,
                    f"raden har {len(row.cells)} celler, men overskriftsraden har {width}",
                    f"the row has {len(row.cells)} cells but the header row has {width}",
                    ("Fjern overflødige celler, eller skriv en | i en celle som \\|." if more
                     else "Legg til tomme celler (| |) så raden får like mange celler som overskriften."),
                    ("Remove the extra cells, or write a | inside a cell as \\|." if more
                     else "Add empty cells (| |) so the row has as many cells as the header."),
                    code="P001", end=row.span.end_offset,
                )
                _fit_row(row, width)
            rows.append(row)
        start = (caption.span.offset if caption else header.span.offset)
        return Table(
            caption=caption,
            header=header,
            delimiter_span=delimiter_span,
            rows=rows,
            span=self.span(start, tokens[-1].end_pos),
            damaged=damaged,
        )

    split_row = staticmethod(split_row_bounds)

    def row(self, token, index: int) -> Row:
        line = str(token).rstrip("\r\n")
        return self.row_at(token.start_pos, line, token.line, token.column, index)

    def row_at(self, base: int, line: str, line_no: int, col0: int, index: int) -> Row:
        """A row from its line (without the line ending) at offset ``base``. Hot path (every
        table row): the cells keep their text, value, column and where their text starts; spans
        are computed when asked for (linter/model.py)."""
        row = Row(self.source, base, len(line), line_no, col0, index)
        cells = row.cells
        append = cells.append
        value_of = parse_cell_value
        shared = self.texts
        if "\\" in line:
            pieces = None
        else:
            pieces = line.split("|")
        if pieces is not None and len(pieces) > 2:
            # pieces[0] is the indent before the first pipe, pieces[-1] what follows the last.
            start = len(pieces[0]) + 1
            last = len(pieces) - 1
            tail = pieces[last]
            if tail and not tail.isspace():  # "| a | b": no closing pipe, the tail is a cell
                pieces[last] = tail.rstrip()
                last += 1
            column = 0
            for raw in pieces[1:last]:
                stripped = raw.strip(" \t")
                if stripped:
                    lead = start + len(raw) - len(raw.lstrip(" \t"))
                    text = shared.setdefault(stripped, stripped)
                else:
                    lead = start + (1 if raw.startswith(" ") else 0)
                    text = ""
                append(Cell(text, value_of(text), column, row, lead))
                column += 1
                start += len(raw) + 1
            return row
        for column, (start, end) in enumerate(split_row_bounds(line)):
            raw = line[start:end]
            stripped = raw.strip(" \t")
            if stripped:
                lead = start + len(raw) - len(raw.lstrip(" \t"))
                text = stripped.replace("\\|", "|") if "\\" in stripped else stripped
                text = shared.setdefault(text, text)
            else:
                lead = start + (1 if raw.startswith(" ") else 0)
                text = ""
            append(Cell(text, value_of(text), column, row, lead))
        return row

    def caption(self, token) -> Caption:
        line = str(token).rstrip("\r\n")
        colon = line.index(":")
        body_start = colon + 1
        attrs: dict[str, str] = {}
        attrs_start = attrs_end = -1
        text_end = len(line)
        block = _ATTR_BLOCK.search(line, body_start)
        if block:
            text_end = block.start()
            attrs_start, attrs_end = token.start_pos + block.start(), token.start_pos + block.end()
            self._attributes(block["body"], token.start_pos + block.start("body"), attrs)
        elif "{" in line[body_start:] and line.rstrip().endswith("}") is False and "=" in line[line.index("{", body_start):]:
            start = line.index("{", body_start)
            self.problem(
                token.start_pos + start,
                "attributtblokken i tabellteksten er ikke avsluttet med }",
                "the caption's attribute block is not closed with }",
                'Skriv attributtene som {#id type=økonomi enhet="1000 kr"} til slutt på linjen.',
                'Write the attributes as {#id type=økonomi enhet="1000 kr"} at the end of the line.',
                code="P003", end=token.start_pos + len(line),
            )
            # Read them all the same, so the table is still checked as what it says it is.
            text_end = start
            attrs_start, attrs_end = token.start_pos + start, token.start_pos + len(line)
            self._attributes(line[start + 1 :], token.start_pos + start + 1, attrs, report=False)
        text = line[body_start:text_end].strip()
        return Caption(text, attrs, token.start_pos, token.start_pos + len(line), attrs_start, attrs_end, self.lines)

    def _attributes(self, body: str, base: int, attrs: dict[str, str], report: bool = True) -> None:
        """Read ``#id`` and ``key=value`` attributes; what cannot be read is a problem (P003),
        and a value whose closing quote is missing is read up to the end of the block."""
        pos = 0
        for match in _ATTR.finditer(body):
            gap = body[pos : match.start()]
            if gap.strip():
                self._attribute_gap(gap, base + pos, attrs, report)
            pos = match.end()
            if match["id"]:
                attrs["id"] = match["id"]
            else:
                attrs[match["key"]] = match["quoted"] if match["quoted"] is not None else match["bare"]
        rest = body[pos:]
        if rest.strip():
            self._attribute_gap(rest, base + pos, attrs, report)

    def _attribute_gap(self, gap: str, offset: int, attrs: dict[str, str], report: bool) -> None:
        lead = len(gap) - len(gap.lstrip())
        text = gap.strip()
        unclosed = _UNCLOSED_QUOTE.search(text)
        if unclosed is not None:
            attrs.setdefault(unclosed["key"], unclosed["value"].strip())
            if report:
                self.problem(
                    offset + lead + unclosed.start(),
                    f"anførselstegnet i {unclosed['key']}=\"{unclosed['value'].strip()} blir aldri avsluttet",
                    f"the quote in {unclosed['key']}=\"{unclosed['value'].strip()} is never closed",
                    f'Avslutt verdien med ": {unclosed["key"]}="{unclosed["value"].strip()}".',
                    f'Close the value with ": {unclosed["key"]}="{unclosed["value"].strip()}".',
                    code="P003", end=offset + lead + len(text),
                )
            return
        if report:
            self._bad_attribute(offset + lead, text)

    def _bad_attribute(self, offset: int, text: str) -> None:
        self.problem(
            offset,
            f"kan ikke lese attributtet {text!r}",
            f"cannot read the attribute {text!r}",
            'Attributter skrives #id eller nøkkel=verdi; verdier med mellomrom i anførselstegn: enhet="1000 kr".',
            'Attributes are #id or key=value; quote values with spaces: enhet="1000 kr".',
            code="P003", end=offset + len(text),
        )

    # ------------------------------------------------------------ sections
    def sections(self, blocks: list[Block]) -> Section:
        root = Section(heading=None, level=0)
        stack = [root]
        for block in blocks:
            if isinstance(block, Heading):
                parts = tuple(_parts(block.number)) if block.number else ()
                level = len(parts) if parts else block.level
                # A numbered section nests under the nearest section whose number is a prefix
                # of its own: "4.18" is not a child of "3" even when chapter 4 is missing.
                while stack[-1].level >= level or (
                    parts and stack[-1].heading is not None and stack[-1].number
                    and tuple(_parts(stack[-1].number)) != parts[: stack[-1].level]
                ):
                    stack.pop()
                if len(stack) > MAX_SECTION_DEPTH:
                    stack.pop()
                section = Section(heading=block, level=level, parent=stack[-1])
                stack[-1].children.append(section)
                stack.append(section)
            else:
                if hasattr(block, "section"):
                    block.section = stack[-1]
                stack[-1].blocks.append(block)
        return root


_LINE_KINDS = {
    "$END": ("filslutt", "end of file"),
    "FM_OPEN": ("front matter-start (---)", "front matter start (---)"),
    "FM_LINE": ("front matter-linje", "front matter line"),
    "FM_CLOSE": ("front matter-slutt (---)", "front matter end (---)"),
    "HEADING": ("overskrift", "heading"),
    "CAPTION": ("tabelltekst", "caption"),
    "TABLE_ROW": ("tabellrad", "table row"),
    "TABLE_ROWS": ("tabellrad", "table row"),
    "TABLE_DELIM": ("skillelinje i tabell", "table delimiter row"),
    "LIST_ITEM": ("listepunkt", "list item"),
    "COMMENT": ("kommentar", "comment"),
    "BREAK": ("skillelinje (***)", "thematic break"),
    "BLANK": ("tom linje", "blank line"),
    "TEXT": ("tekstlinje", "text line"),
}


# Tokens that end a block take the blank lines after it (grammars/report.lark); each of those
# lines is a Blank block of its own in the model.
_TAKES_BLANKS = frozenset({"HEADING", "TABLE_ROWS", "LIST_ITEM", "COMMENT", "BREAK", "TEXT"})
_BLANK_ONLY = re.compile(r"[ \t]*\r?\n")


class _Piece:
    """Part of a token, read as the token is (``str()``, ``type``, positions): a block's last
    token without the blank lines it took, or one of those blank lines. Cheaper to make than a
    lark Token."""

    __slots__ = ("type", "_text", "start_pos", "end_pos", "line", "column")

    def __init__(self, kind: str, text: str, start_pos: int, line: int, column: int) -> None:
        self.type = kind
        self._text = text
        self.start_pos = start_pos
        self.end_pos = start_pos + len(text)
        self.line = line
        self.column = column

    def __str__(self) -> str:
        return self._text


def _split_trailing_blanks(children: list) -> list:
    """The parse as if every blank line were its own BLANK token: the blank lines a block's
    last token took are cut off it and follow the block."""
    from linter.parsing.lalr import Tree

    out: list = []
    append = out.append
    for node in children:
        last: Any = node.children[-1] if isinstance(node, Tree) else node
        text = str(last)
        # A token that took blank lines ends in an empty line or one of spaces and tabs (its
        # first line is never blank).
        if last.type not in _TAKES_BLANKS or not (text.endswith("\n\n") or text.endswith("\n\r\n") or (
                text[-2:-1] in (" ", "\t", "\r") and _BLANK_ONLY.fullmatch(text, text.rfind("\n", 0, len(text) - 1) + 1))):
            append(node)
            continue
        cut = len(text)
        while True:  # walk back over the blank lines at the end
            start = text.rfind("\n", 0, cut - 1) + 1
            if start == 0 or not _BLANK_ONLY.fullmatch(text, start, cut):
                break
            cut = start
        base = last.start_pos
        kept = _Piece(last.type, text[:cut], base, last.line, last.column)
        if node is last:
            append(kept)
        else:
            node.children[-1] = kept
            append(node)
        line = last.line + text.count("\n", 0, cut)
        while cut < len(text):
            end = text.index("\n", cut) + 1
            append(_Piece("BLANK", text[cut:end], base + cut, line, 1))
            cut = end
            line += 1
    return out


def _token_lines(token, keep_cr: bool = False):
    """(offset, text without its line ending, line number) of each line of a token of whole
    lines (a paragraph, a list, a table's body rows)."""
    text = str(token)
    start = token.start_pos
    line_no = token.line
    for piece in text[:-1].split("\n") if text.endswith("\n") else text.split("\n"):
        yield start, (piece if keep_cr else piece.rstrip("\r")), line_no
        start += len(piece) + 1
        line_no += 1


def _fit_row(row: Row, width: int) -> None:
    """A row with the wrong number of cells, made as wide as its header so rules can read it:
    missing cells are empty (at the row's end), extra ones are left out of the model (they stay
    in the text). The table is marked damaged; its sums are not trusted."""
    cells = row.cells
    if len(cells) > width:
        del cells[width:]
        return
    end = row._length  # missing cells sit, empty, at the end of the row's line
    empty = parse_cell_value("")
    while len(cells) < width:
        cells.append(Cell("", empty, len(cells), row, end))


def _parts(number: str) -> list[str]:
    return [p for p in number.rstrip(".").split(".") if p]
