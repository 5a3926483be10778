"""Front matter rules (M): the metadata every report must carry."""

from __future__ import annotations

from typing import Iterable

from linter.model import Report, Span
from linter.rules.base import Finding, Fix, Rule, RuleContext, Severity

REQUIRED_KEYS = ("bydel", "dokument", "år")
DOCUMENT_KINDS = ("årsberetning", "budsjett")


def _file_start(report: Report) -> Span:
    return Span(1, 1, 1, 1, 0, 0)


class FrontMatterMissing(Rule):
    """Rapporten mangler front matter, eller en påkrevd nøkkel i den.

    Hvorfor: linteren velger regelpakke etter dokumenttype og år, og revisorene sorterer
    rapportene etter bydel. Uten disse kan ingen malregler kjøres. Front matter må stå på
    linje 1: med en tom linje eller en kommentar over seg vises den som tekst på GitHub
    (rapportlint leser den likevel, og sier fra).

    Feil:
        # 3 Måloppnåelse og resultater

    Riktig:
        ---
        bydel: Sagene
        dokument: årsberetning
        år: 2024
        ---
        # 3 Måloppnåelse og resultater
    """

    code = "M101"
    name = "front-matter-missing"
    family = "metadata"
    severity = Severity.ERROR
    summary = ("Front matter eller påkrevd nøkkel mangler", "Front matter or a required key is missing")
    messages = {
        "no-front-matter": (
            "rapporten mangler front matter (bydel, dokument, år) øverst i filen",
            "the report has no front matter (bydel, dokument, år) at the top of the file",
        ),
        "missing-key": (
            "front matter mangler nøkkelen «{field}»",
            "the front matter lacks the key «{field}»",
        ),
        "late": (
            "front matter må begynne på linje 1, men begynner på linje {line} (fjern {what} over ---); "
            "GitHub viser den ellers som tekst",
            "the front matter must begin on line 1 but begins on line {line} (remove the {what_en} above ---); "
            "GitHub shows it as text otherwise",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        if report.front_matter is None:
            yield self.finding(report, _file_start(report), "no-front-matter")
            return
        if report.front_matter.late:
            above = report.source[: report.front_matter.span.offset]
            comment = "<!--" in above
            yield self.finding(report, _file_start(report), "late", line=report.front_matter.span.line,
                               what="kommentaren" if comment else "de tomme linjene",
                               what_en="comment" if comment else "blank lines")
        for key in REQUIRED_KEYS:
            if key not in report.front_matter.fields:
                yield self.finding(report, report.front_matter.span, "missing-key", field=key)


class FrontMatterInvalid(Rule):
    """En verdi i front matter er ugyldig.

    Hvorfor: `dokument` må være `årsberetning` eller `budsjett`, og `år` et årstall; ellers
    velges feil regelpakke, eller ingen. `status` er `utkast`, `forslag` eller `vedtatt`.

    Feil:
        dokument: årsrapport
        år: 24
        status: godkjent

    Riktig:
        dokument: årsberetning
        år: 2024
        status: vedtatt
    """

    code = "M102"
    name = "front-matter-invalid"
    family = "metadata"
    severity = Severity.ERROR
    summary = ("Ugyldig verdi i front matter", "Invalid front matter value")
    messages = {
        "kind": (
            "«{value}» er ikke en kjent dokumenttype; bruk årsberetning eller budsjett",
            "«{value}» is not a known document kind; use årsberetning or budsjett",
        ),
        "year": (
            "«{value}» er ikke et årstall (fire sifre)",
            "«{value}» is not a year (four digits)",
        ),
        "status": (
            "«{value}» er ikke en kjent status{hint_nb}; bruk utkast, forslag eller vedtatt",
            "«{value}» is not a known status{hint_en}; use utkast, forslag or vedtatt",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        fm = report.front_matter
        if fm is None:
            return
        kind = fm.fields.get("dokument")
        if kind and kind.value not in DOCUMENT_KINDS:
            yield self.finding(report, kind.value_span, "kind", value=kind.value)
        year = fm.fields.get("år")
        if year and not (year.value.isascii() and year.value.isdigit() and len(year.value) == 4):
            yield self.finding(report, year.value_span, "year", value=year.value)
        status = fm.fields.get("status")
        if status and status.value.strip() and status.value.strip() not in STATUS_VALUES:
            hint_nb, hint_en = _hint(did_you_mean(status.value.strip(), STATUS_VALUES))
            yield self.finding(report, status.value_span, "status", value=status.value, hint_nb=hint_nb, hint_en=hint_en)


class RulePackNearestYear(Rule):
    """Det finnes ingen regelpakke for rapportens år; pakken for nærmeste tidligere år brukes.

    Hvorfor: malen endres fra år til år (nye seksjoner, nye sjekklister). Når rapporten er for et
    år rapportlint ikke har en egen pakke for, kontrolleres den mot nærmeste tidligere års mal,
    og det bør leseren vite: et funn kan skyldes at malen er endret. Velg pakken selv med
    «mal:» i front matter (da kommer ikke denne meldingen).

    Feil:
        ---
        bydel: Sagene
        dokument: årsberetning
        år: 2027
        ---

    Riktig:
        ---
        bydel: Sagene
        dokument: årsberetning
        år: 2027
        mal: årsberetning-2024
        ---
    """

    code = "M103"
    name = "rule-pack-nearest-year"
    family = "metadata"
    severity = Severity.INFO
    summary = ("Regelpakke for et annet år brukes", "Rule pack of another year used")
    messages = {
        "nearest": (
            "ingen regelpakke for {kind} {year}; bruker {pack} (sett «mal:» for å velge)",
            "no rule pack for {kind} {year}; using {pack} (set «mal:» to choose)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        return ()  # the engine reports it while it chooses the pack (linter/engine.py choose_pack)


# ---------------------------------------------------------------------------- what writers type
# The format's vocabulary (docs/format.md): front matter keys, caption attributes and values.
FRONT_MATTER_KEYS = ("bydel", "dokument", "år", "mal", "tittel", "kilde", "status")
STATUS_VALUES = ("utkast", "forslag", "vedtatt")
TABLE_ATTRIBUTES = ("id", "type", "enhet", "fo", "ufullstendig", "formel")
TABLE_TYPES = ("økonomi", "indikatorer", "nøkkeltall", "sjekkliste", "verbalvedtak", "befolkning", "ramme",
               "måltabell", "tekst")
UNITS = ("1000 kr", "kr", "mill. kr", "%", "antall")
FO_VALUES = ("1", "2A", "2B", "2C", "3", "4", "4A", "4B", "4C")
YES_VALUES = ("ja",)


def did_you_mean(value: str, known, cutoff: float = 0.6) -> str | None:
    """The closest known value, compared without case, accents on o/a or spaces."""
    import difflib

    def fold(text: str) -> str:
        return "".join(text.lower().replace("ø", "o").replace("æ", "ae").replace("å", "a").split())

    folded = {fold(k): k for k in known}
    if fold(value) in folded:
        return folded[fold(value)]
    close = difflib.get_close_matches(fold(value), list(folded), n=1, cutoff=cutoff)
    return folded[close[0]] if close else None


def _hint(suggestion: str | None) -> tuple[str, str]:
    if suggestion is None:
        return "", ""
    return f" (mente du «{suggestion}»?)", f" (did you mean «{suggestion}»?)"


class FrontMatterKeyUnknown(Rule):
    """Front matter har en nøkkel formatet ikke kjenner (ofte en skrivefeil).

    Hvorfor: en feilstavet nøkkel (`dokumnet:`) leses ikke, så dokumenttypen mangler og
    regelpakken velges ikke; uten denne regelen ville bare «nøkkel mangler» vise det.
    Kjente nøkler: bydel, dokument, år, mal, tittel, kilde, status (docs/format.md).

    Feil:
        dokumnet: årsberetning

    Riktig:
        dokument: årsberetning

    Retting: bytter nøkkelen med den kjente nøkkelen den ligner, når den ikke står fra før.
    """

    code = "M104"
    name = "front-matter-key-unknown"
    family = "metadata"
    severity = Severity.WARNING
    summary = ("Ukjent nøkkel i front matter", "Unknown front matter key")
    fixable = True
    pack_settings = {"ekstra_nøkler": (list[str], [])}  # keys a pack accepts besides the format's
    messages = {
        "unknown": (
            "ukjent nøkkel «{attr}» i front matter{hint_nb}; kjente nøkler: {known}",
            "unknown front matter key «{attr}»{hint_en}; known keys: {known}",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        fm = report.front_matter
        if fm is None:
            return
        known = list(FRONT_MATTER_KEYS) + list(context.settings.get("ekstra_nøkler", ()))
        for key, field in fm.fields.items():
            if key in known:
                continue
            suggestion = did_you_mean(key, known)
            hint_nb, hint_en = _hint(suggestion)
            fix = None
            if suggestion and suggestion not in fm.fields:
                start = field.span.offset + (len(report.source[field.span.offset:field.span.end_offset])
                                             - len(report.source[field.span.offset:field.span.end_offset].lstrip()))
                fix = Fix(start, start + len(key), suggestion)
            span = Span(field.span.line, field.span.column, field.span.line, field.span.column + len(key),
                        field.span.offset, field.span.offset + len(key))
            yield self.finding(report, span, "unknown", attr=key, hint_nb=hint_nb, hint_en=hint_en,
                               known=", ".join(known), fix=fix, details={"key": key, "suggestion": suggestion})


class DistrictUnknown(Rule):
    """`bydel` i front matter er ikke en av Oslos bydeler.

    Hvorfor: revisjonen sorterer og sammenligner rapportene etter bydel; «Sagnee» eller «Bydel
    Sagene» blir en sekstende bydel i oversikten. Navnet skrives uten «Bydel», som i listen i
    regelpakken (`regler: M105: bydeler:`). Andre navn (en prøvebydel, en ny bydel) legges til
    med `bydeler = [...]` i konfigurasjonen.

    Feil:
        bydel: Bydel Sagnee

    Riktig:
        bydel: Sagene
    """

    code = "M105"
    name = "district-unknown"
    family = "metadata"
    severity = Severity.WARNING
    summary = ("Ukjent bydel i front matter", "Unknown district in the front matter")
    # the districts, as pack data; ekstra_bydeler comes from `bydeler = [...]` in the configuration
    pack_settings = {"bydeler": (list[str], []), "ekstra_bydeler": (list[str], [])}
    messages = {
        "unknown": (
            "«{value}» er ikke en av Oslos bydeler{hint_nb} (andre navn: bydeler = [...] i konfigurasjonen)",
            "«{value}» is not one of Oslo's districts{hint_en} (other names: bydeler = [...] in the configuration)",
        ),
        "prefix": (
            "skriv bydelens navn uten «Bydel»: «{name}»",
            "write the district's name without «Bydel»: «{name}»",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        fm = report.front_matter
        field = fm.fields.get("bydel") if fm else None
        if field is None or not field.value.strip():
            return
        districts = list(context.settings.get("bydeler", ())) + list(context.settings.get("ekstra_bydeler", ()))
        if not districts:
            return  # a pack without the list: nothing to compare with
        value = field.value.strip()
        if _district_key(value) in {_district_key(d) for d in districts}:
            return
        bare = value[len("bydel"):].strip() if value.lower().startswith("bydel ") else None
        if bare is not None and _district_key(bare) in {_district_key(d) for d in districts}:
            name = next(d for d in districts if _district_key(d) == _district_key(bare))
            yield self.finding(report, field.value_span, "prefix", name=name, details={"suggestion": name})
            return
        suggestion = did_you_mean(bare if bare is not None else value, districts)
        hint_nb, hint_en = _hint(suggestion)
        yield self.finding(report, field.value_span, "unknown", value=value, hint_nb=hint_nb, hint_en=hint_en,
                           details={"suggestion": suggestion})


def _district_key(name: str) -> str:
    """"St. Hanshaugen", "St.Hanshaugen" and "st hanshaugen" are one district."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


class TableAttributeUnknown(Rule):
    """En tabells attributt eller verdi er ukjent eller tom (`type=okonomi`, `enhet=`).

    Hvorfor: `type=` bestemmer hvilke regler som kontrollerer tabellen; med en skrivefeil
    (`type=okonomi`) kontrolleres ikke summene, og ingen ville merke det. En ukjent type er
    derfor en feil; en ukjent nøkkel eller enhet er en advarsel. Kjente attributter: #id,
    type, enhet, fo, ufullstendig, formel (docs/format.md).

    Feil:
        : Tall i 1000 kr {#fo1-okonomi type=okonomi enheter="1000 kr" fo=1}

    Riktig:
        : Tall i 1000 kr {#fo1-okonomi type=økonomi enhet="1000 kr" fo=1}
    """

    code = "M106"
    name = "table-attribute-unknown"
    family = "metadata"
    severity = Severity.WARNING
    summary = ("Ukjent tabellattributt eller -verdi", "Unknown table attribute or value")
    pack_settings = {"ekstra_nøkler": (list[str], [])}  # attributes a pack accepts besides the format's
    severity_varies = (
        "feil når tabelltypen er ukjent eller tom (tabellen kontrolleres da ikke som noen type); ellers advarsel",
        "error when the table type is unknown or empty (the table is then not checked as any type); else a warning",
    )
    messages = {
        "key": (
            "ukjent tabellattributt «{attr}»{hint_nb}; kjente: {known}",
            "unknown table attribute «{attr}»{hint_en}; known: {known}",
        ),
        "value": (
            "ukjent verdi «{value}» for {attr}={hint_nb}; kjente: {known}",
            "unknown value «{value}» for {attr}={hint_en}; known: {known}",
        ),
        "type": (
            "ukjent tabelltype «{value}»{hint_nb}: tabellen kontrolleres ikke som noen type; kjente: {known}",
            "unknown table type «{value}»{hint_en}: the table is not checked as any type; known: {known}",
        ),
        "empty": (
            "{attr}= har ingen verdi{hint_nb}",
            "{attr}= has no value{hint_en}",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        extra_keys = list(context.settings.get("ekstra_nøkler", ()))
        known_keys = list(TABLE_ATTRIBUTES) + extra_keys
        values = {"type": TABLE_TYPES, "fo": FO_VALUES, "ufullstendig": YES_VALUES}
        for table in report.tables:
            caption = table.caption
            if caption is None or caption.attributes_span is None:
                continue
            span = caption.attributes_span
            block = report.source[span.offset:span.end_offset]
            details = {"table": table.id}
            for key, value in caption.attributes.items():
                # where the attribute stands is looked for only for a finding (most are fine)
                if key not in known_keys:
                    suggestion = did_you_mean(key, known_keys)
                    hint_nb, hint_en = _hint(suggestion)
                    yield self.finding(report, _attribute_span(block, span, key), "key", attr=key, hint_nb=hint_nb, hint_en=hint_en,
                                       known=", ".join(known_keys), details={**details, "key": key})
                    continue
                if key in ("id", "formel"):
                    continue
                if not value.strip():
                    suggestion = {"enhet": "1000 kr", "ufullstendig": "ja"}.get(key)
                    hint_nb, hint_en = (f' (for eksempel {key}="{suggestion}")', f' (for example {key}="{suggestion}")') \
                        if suggestion else ("", "")
                    yield self.finding(report, _attribute_span(block, span, key), "empty", attr=key, hint_nb=hint_nb, hint_en=hint_en,
                                       severity=Severity.ERROR if key == "type" else None, details={**details, "key": key})
                    continue
                if key == "enhet":
                    unknown = [part.strip() for part in value.split(",") if part.strip() not in UNITS]
                    if unknown:
                        suggestion = did_you_mean(value, UNITS)
                        hint_nb, hint_en = _hint(suggestion)
                        yield self.finding(report, _attribute_span(block, span, key), "value", attr=key, value=value, hint_nb=hint_nb,
                                           hint_en=hint_en, known=", ".join(UNITS), details={**details, "key": key})
                    continue
                allowed = values[key]
                if value in allowed or (key == "fo" and value.upper() in allowed):
                    continue
                suggestion = did_you_mean(value, allowed)
                hint_nb, hint_en = _hint(suggestion)
                message = "type" if key == "type" else "value"
                yield self.finding(report, _attribute_span(block, span, key), message, attr=key, value=value, hint_nb=hint_nb, hint_en=hint_en,
                                   known=", ".join(allowed), severity=Severity.ERROR if key == "type" else None,
                                   details={**details, "key": key})


def _attribute_span(block: str, span: Span, key: str) -> Span:
    """The span of ``key=...`` (or ``#id``) inside the attribute block."""
    import re

    match = re.search(r"(?:(?<=[\s{])|^)" + (r"#" if key == "id" else re.escape(key) + r"=") + r'(?:"[^"]*"?|[^\s}]*)', block)
    if match is None:
        return span
    start = span.offset + match.start()
    column = span.column + match.start()
    return Span(span.line, column, span.line, column + len(match.group(0)), start, start + len(match.group(0)))


# What a converted Word draft (linter/word/convert.py) writes where tracked changes are left.
TRACKED_CHANGE_MARKER = "rapportlint-word: sporet endring:"
_CHANGE_KINDS_EN = {"innsatt": "inserted", "slettet": "deleted", "flyttet": "moved", "formatering": "formatting",
                    "og": "and", "til": "more"}


class TrackedChangesUnresolved(Rule):
    """Word-utkastet har sporede endringer som ikke er godtatt eller avvist.

    Hvorfor: rapportlint leser et Word-dokument som om alle sporede endringer var godtatt. Blir
    rapporten sendt med endringene uavklart, kan mottakeren lese en annen tekst eller andre tall
    enn dem som er kontrollert (Word viser slettet tekst med gjennomstreking, og en utskrift
    kan ta den med). Regelen gjelder Word-dokumenter (.docx); i en rapport importert fra Word
    står endringen som en kommentar der den var.

    Feil:
        Bydelen hadde et mindreforbruk på <!-- rapportlint-word: sporet endring: slettet «2,4» (Kari Nordmann, 2025-02-03); innsatt «2,5» (Kari Nordmann, 2025-02-03) -->

    Riktig:
        Bydelen hadde et mindreforbruk på 2,5 mill. kroner (endringene godtatt i Word: Se gjennom > Godta alle endringer)
    """

    code = "M107"
    name = "tracked-changes-unresolved"
    family = "metadata"
    severity = Severity.WARNING
    summary = ("Sporede endringer i Word-utkastet er ikke godtatt eller avvist",
               "Tracked changes in the Word draft are not accepted or rejected")
    messages = {
        "change": (
            "sporet endring som ikke er godtatt eller avvist ({what}); rapportlint leser den som godtatt. "
            "Godta eller avvis den i Word (Se gjennom > Godta / Avvis) før rapporten sendes",
            "tracked change not accepted or rejected ({what_en}); rapportlint reads it as accepted. "
            "Accept or reject it in Word (Review > Accept / Reject) before the report is submitted",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        import re

        from linter.model import Comment

        for block in report.blocks:
            if not isinstance(block, Comment):
                continue
            body = block.text.strip()
            if not body.startswith(TRACKED_CHANGE_MARKER):
                continue
            what = body[len(TRACKED_CHANGE_MARKER):].strip() or "?"
            what_en = re.sub(r"(^|; )(\w+)", lambda m: m.group(1) + _CHANGE_KINDS_EN.get(m.group(2), m.group(2)), what)
            what_en = re.sub(r"\bog (\d+) til\b", r"and \1 more", what_en)
            yield self.finding(report, block.span, "change", what=what, what_en=what_en, details={"changes": what})
