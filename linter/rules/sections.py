"""Section rules (S): the template's mandatory sections."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from linter.model import ListBlock, Paragraph, Report, Section, Span
from linter.rules.base import Finding, Rule, RuleContext, Severity
from linter.template import SectionMatch, SectionSpec, match_sections, section_specs
from linter.titles import normalize_title


class MandatorySectionMissing(Rule):
    """En seksjon som malen krever, finnes ikke i rapporten.

    Hvorfor: byrådet og kommunerevisjonen leser alle bydelenes årsberetninger side om side;
    malens seksjoner (HMS, jodberedskap, verbalvedtak ...) skal finnes i hver av dem. En seksjon
    som ikke finnes, blir ikke rapportert på.

    Seksjonen finnes når et kapittel har malens nummer, eller en tittel som ligner malens
    (store/små bokstaver, bindestreker og små skrivefeil tolereres).

    Feil:
        ## 4.17 Barn som kan være utsatt for omsorgssvikt, vold eller seksuelle overgrep
        ## 4.19 Forebygging og bekjemping av rasisme

    Riktig:
        ## 4.17 Barn som kan være utsatt for omsorgssvikt, vold eller seksuelle overgrep
        ## 4.18 Rapportering jodberedskap
        ## 4.19 Forebygging og bekjemping av rasisme
    """

    code = "S101"
    name = "mandatory-section-missing"
    family = "seksjoner"
    severity = Severity.ERROR
    severity_varies = (
        "feil når seksjonen mangler helt; advarsel når bare den nummererte overskriften mangler mens "
        "underavsnittene finnes (3.1.1 uten 3.1), og når seksjonen bare er belagt av én rapport "
        "(`belegg: 1` i regelpakken: vi vet ikke sikkert at malen har den)",
        "error when the section is missing altogether; warning when only the numbered heading is missing "
        "while its subsections are there (3.1.1 without 3.1), and when only one report attests the section "
        "(`belegg: 1` in the rule pack: we do not know for sure that the template has it)",
    )
    summary = ("Påkrevd seksjon mangler", "Mandatory section missing")
    messages = {
        "missing": (
            "påkrevd seksjon «{label}» mangler (mal {pack})",
            "mandatory section «{label}» is missing (template {pack})",
        ),
        "heading": (
            "overskriften «{label}» mangler; underavsnittene ({children}) står uten den (mal {pack})",
            "the heading «{label}» is missing; its subsections ({children}) stand without it (template {pack})",
        ),
        "taken": (
            "påkrevd seksjon «{label}» mangler; nummeret brukes av «{other}», som er {expected} i malen "
            "(mal {pack}; S107 kjøres ikke)",
            "mandatory section «{label}» is missing; its number is used by «{other}», which the template numbers "
            "{expected} (template {pack}; S107 does not run)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        if context.pack is None:
            return
        matches = match_sections(report, context.pack)
        missing_numbers: set[str] = set()
        matched = {id(m.spec): m.section for m in matches}
        # Numbers held by a heading that is another template section, misnumbered: S107 says it,
        # and that the template section of that number is missing.
        misnumbered_onto = {found: m for m, found in _misnumbered(matches)}
        for index, match in enumerate(matches):
            spec, section = match.spec, match.section
            if section is not None or not spec.required:
                continue
            if spec.parent is not None and not spec.number and matched.get(id(spec.parent)) is None:
                continue  # the missing parent is the finding
            if spec.number:
                missing_numbers.add(spec.number)
                parent = spec.number.rpartition(".")[0]
                if parent and parent in missing_numbers:
                    continue  # the missing parent is the finding
                holder = misnumbered_onto.get(spec.number)
                if holder is not None:
                    # Another template section sits under this number: S107's finding, else said here.
                    if not context.runs("S107"):
                        yield self.finding(
                            report, _number_span(holder.section), "taken",
                            severity=Severity.WARNING if spec.weakly_attested else Severity.ERROR,
                            label=spec.label, other=holder.section.title, expected=holder.spec.number,
                            pack=context.pack.id, details={"section": spec.number, "title": spec.title},
                        )
                    continue
            children = [m for m in matches if m.section is not None and spec.is_ancestor_of(m.spec)]
            severity = Severity.WARNING if children or spec.weakly_attested else Severity.ERROR
            parent_section = matched.get(id(spec.parent)) if spec.parent is not None and not spec.number else None
            span = (parent_section.heading.title_span if parent_section is not None and parent_section.heading
                    else _insertion_point(report, matches, index))
            details: dict[str, Any] = {"section": spec.number, "title": spec.title}
            if spec.weakly_attested:
                details["evidence"] = spec.evidence
            if children:
                names = ", ".join(m.section.number or m.section.title for m in children[:3])
                if len(children) > 3:
                    names += " …"
                yield self.finding(report, span, "heading", severity=severity, label=spec.label, children=names,
                                   pack=context.pack.id, details=details)
                continue
            yield self.finding(
                report, span, "missing", severity=severity,
                label=spec.label if spec.number or spec.parent is None else f"{spec.title}» under «{spec.parent.title}",
                pack=context.pack.id, details=details,
            )


def _insertion_point(report: Report, matches, index: int) -> Span:
    """Where the missing section belongs: at the heading of the next template section found."""
    for match in matches[index + 1 :]:
        section = match.section
        if section is not None and section.span is not None:
            span = section.span
            return Span(span.line, 1, span.line, 1, span.offset, span.offset)
    end = len(report.source)
    line = len(report.line_starts)
    return Span(line, 1, line, 1, end, end)


# ---------------------------------------------------------------------------------------------
# Helpers shared by the section rules


def _title_span(section: Section) -> Span:
    return section.heading.title_span if section.heading else Span(1, 1, 1, 1, 0, 0)


def _number_span(section: Section) -> Span:
    heading = section.heading
    if heading is None:
        return Span(1, 1, 1, 1, 0, 0)
    return heading.number_span or heading.title_span


def _norm_number(number: str | None) -> str | None:
    return number.rstrip(".") if number else None


def _owned_elsewhere(pack) -> set[str]:
    """Template sections whose emptiness another rule family reports more precisely."""
    owned: set[str] = set()
    if pack is None:
        return owned
    settings = pack.get("verbalvedtak") or {}
    for ref in settings.get("seksjoner", ()):
        owned.add(ref)
    return owned


def drifted_titles(report: Report, pack) -> dict[int, tuple[SectionMatch, float]]:
    """Sections matched to a template section whose title differs from the template's."""
    out: dict[int, tuple[SectionMatch, float]] = {}
    for match in match_sections(report, pack):
        section = match.section
        if section is None or section.heading is None:
            continue
        if match.spec.title_matches_exactly(section.title):
            continue
        out[id(section)] = (match, match.spec.title_score(section.title))
    return out


class SectionEmpty(Rule):
    """En seksjon har overskrift, men ikke noe innhold.

    Hvorfor: en tom seksjon ser ut som rapportering, men sier ingenting. Når malen krever
    seksjonen, er det en feil; skal det ikke rapporteres noe, skal teksten si det
    («Ikke aktuelt for bydelen»).

    Feil:
        ## 2.1.1 Organisasjonskart 2024
        ## 2.2 Befolkningsgrunnlag

    Riktig:
        ## 2.1.1 Organisasjonskart 2024
        Organisasjonskartet viser bydelens fire avdelinger og stab.
        ## 2.2 Befolkningsgrunnlag
    """

    code = "S102"
    name = "section-empty"
    family = "seksjoner"
    severity = Severity.ERROR
    severity_varies = (
        "feil når malen krever seksjonen; advarsel for andre seksjoner (egne underavsnitt, vedlegg)",
        "error when the template requires the section; warning for other sections (a report's own "
        "subsections, attachments)",
    )
    summary = ("Seksjon uten innhold", "Section without content")
    messages = {
        "template": (
            "seksjonen «{title}» er tom; malen krever innhold her (skriv «Ikke aktuelt» med begrunnelse om det ikke er noe å rapportere)",
            "section «{title}» is empty; the template requires content here (write «Ikke aktuelt» with a reason if there is nothing to report)",
        ),
        "other": (
            "seksjonen «{title}» er tom",
            "section «{title}» is empty",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        template: dict[int, SectionMatch] = {}
        skip: set[int] = set()
        if context.pack is not None:
            # V401 says more about an empty verbalvedtak section; without V401 it is said here
            owned = _owned_elsewhere(context.pack) if context.runs("V401") else set()
            for match in match_sections(report, context.pack):
                if match.section is None:
                    continue
                template[id(match.section)] = match
                if match.spec.number in owned or match.spec.title in owned:
                    skip.add(id(match.section))

        def visit(section: Section) -> Iterator[Finding]:
            if section.heading is not None and section.is_empty:
                if id(section) not in skip:
                    match = template.get(id(section))
                    label = f"{section.number} {section.title}" if section.number else section.title
                    required = match is not None and match.spec.required
                    yield self.finding(
                        report, _title_span(section), "template" if required else "other",
                        severity=Severity.ERROR if required else Severity.WARNING,
                        title=label, details={"section": section.number, "title": section.title},
                    )
                return  # one finding for an empty section and everything under it
            for child in section.children:
                yield from visit(child)

        for top in report.root.children:
            yield from visit(top)


class DuplicateSectionNumber(Rule):
    """To overskrifter har samme nummer.

    Hvorfor: avsnittsnumrene er rapportens adresser; lesere, revisorer og henvisninger
    («se 3.3.4») må finne ett sted. Ofte er en tabelltittel skrevet som overskrift.

    Feil:
        ### 3.3.4 Hovedoversikt økonomi FO2A - netto driftsutgifter
        #### 3.3.4.1 Endringer i budsjett 2024 og i regnskap fra 2023 til 2024
        ### 3.3.4 Hovedoversikt økonomi FO2A netto driftsutgifter

    Riktig:
        ### 3.3.4 Hovedoversikt økonomi FO2A - netto driftsutgifter
        #### 3.3.4.1 Endringer i budsjett 2024 og i regnskap fra 2023 til 2024
        : Hovedoversikt økonomi FO2A netto driftsutgifter {#fo2a-okonomi type=økonomi enhet="1000 kr"}
    """

    code = "S103"
    name = "duplicate-section-number"
    family = "seksjoner"
    severity = Severity.WARNING
    summary = ("Samme avsnittsnummer brukt to ganger", "Section number used twice")
    messages = {
        "duplicate": (
            "avsnittsnummer {number} er brukt før (linje {line}: «{first}»)",
            "section number {number} is already used (line {line}: «{first}»)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        seen: dict[str, Section] = {}
        for section in context.sections(report):
            number = _norm_number(section.number)
            if not number:
                continue
            first = seen.get(number)
            if first is None:
                seen[number] = section
                continue
            yield self.finding(
                report, _number_span(section), "duplicate", number=number, line=first.span.line,
                first=first.title, details={"section": number, "first_line": first.span.line},
            )


class DuplicateSectionTitle(Rule):
    """To søskenavsnitt har samme tittel.

    Hvorfor: to avsnitt med samme tittel under samme kapittel er nesten alltid en
    kopieringsfeil: det andre skulle handlet om noe annet (et annet funksjonsområde, en annen
    tabell), og leseren kan ikke skille dem.

    Feil:
        ### 7.3.3 Funksjonsområde 2C
        ### 7.3.4 Funksjonsområde 2C

    Riktig:
        ### 7.3.3 Funksjonsområde 2C
        ### 7.3.4 Funksjonsområde 3
    """

    code = "S104"
    name = "duplicate-section-title"
    family = "seksjoner"
    severity = Severity.WARNING
    summary = ("To søskenavsnitt med samme tittel", "Two sibling sections with the same title")
    messages = {
        "duplicate": (
            "«{title}» har samme tittel som {first} (linje {line}) under samme kapittel",
            "«{title}» has the same title as {first} (line {line}) in the same chapter",
        ),
        "duplicate-number": (
            "«{title}» har samme tittel og nummer som linje {line} (S103 kjøres ikke)",
            "«{title}» has the same title and number as line {line} (S103 does not run)",
        ),
        "duplicate-drift": (
            "«{title}» har samme tittel som {first} (linje {line}) under samme kapittel; en av dem er en "
            "malseksjon med feil tittel (S106 kjøres ikke)",
            "«{title}» has the same title as {first} (line {line}) in the same chapter; one of them is a "
            "template section with the wrong title (S106 does not run)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        drifted = drifted_titles(report, context.pack) if context.pack is not None else {}
        for parent in [report.root, *context.sections(report)]:
            seen: dict[str, Section] = {}
            for child in parent.children:
                key = normalize_title(child.title)
                if not key:
                    continue
                first = seen.get(key)
                if first is None:
                    seen[key] = child
                    continue
                key = "duplicate"
                if _norm_number(first.number) == _norm_number(child.number):
                    if context.runs("S103"):
                        continue  # the same number too: S103 says it
                    key = "duplicate-number"
                elif id(child) in drifted or id(first) in drifted:
                    if context.runs("S106"):
                        continue  # a template section under a wrong title: S106 says it
                    key = "duplicate-drift"
                label = f"{child.number} {child.title}" if child.number else child.title
                first_label = first.number or f"«{first.title}»"
                yield self.finding(
                    report, _title_span(child), key, title=label, first=first_label, line=first.span.line,
                    details={"section": child.number, "first_line": first.span.line},
                )


class SectionLevelSkipped(Rule):
    """Et avsnitt hopper over et nivå: 3.2.1.1 uten 3.2.1.

    Hvorfor: nummereringen viser hvor i malen teksten hører hjemme. Mangler nivået over,
    er nummeret feil eller et avsnitt falt ut.

    Feil:
        ## 2.1 Organisasjon/bemanning
        #### 2.1.1.1 Organisasjonskart

    Riktig:
        ## 2.1 Organisasjon/bemanning
        ### 2.1.1 Organisasjonskart
    """

    code = "S105"
    name = "section-level-skipped"
    family = "seksjoner"
    severity = Severity.WARNING
    summary = ("Nummereringen hopper over et nivå", "Numbering skips a level")
    messages = {
        "skipped": (
            "{number} «{title}» står uten {parent}: et nivå i nummereringen er hoppet over",
            "{number} «{title}» has no {parent}: the numbering skips a level",
        ),
        "skipped-template": (
            "{number} «{title}» står uten malseksjonen {parent} (S101/S107 kjøres ikke)",
            "{number} «{title}» has no template section {parent} (S101/S107 do not run)",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        numbers = {_norm_number(s.number) for s in context.sections(report) if s.number}
        template_numbers = {n for spec in section_specs(context.pack) for n in spec.numbers}
        misnumbered: set[str] | None = None  # template numbers held elsewhere (S107's), computed when needed
        reported: set[str] = set()
        for section in context.sections(report):
            number = _norm_number(section.number)
            if not number or "." not in number:
                continue
            if number in template_numbers:
                continue  # the template itself numbers it so (6.1.1 with no 6.1 in the 2023 template)
            parent = number.rpartition(".")[0]
            if parent in numbers or parent in reported:
                continue
            reported.add(parent)
            if parent in template_numbers:
                # A template section: S101 (missing) or S107 (misnumbered) says it, unless not selected.
                if misnumbered is None:
                    misnumbered = ({m.spec.number for m, _ in _misnumbered(match_sections(report, context.pack))}
                                   if context.pack is not None else set())
                if context.runs("S107" if parent in misnumbered else "S101"):
                    continue
                yield self.finding(
                    report, _number_span(section), "skipped-template", number=number, title=section.title,
                    parent=parent, details={"section": number, "missing": parent},
                )
                continue
            yield self.finding(
                report, _number_span(section), "skipped", number=number, title=section.title, parent=parent,
                details={"section": number, "missing": parent},
            )


class SectionTitleDrift(Rule):
    """En malseksjon har en annen tittel enn malens.

    Hvorfor: malens titler er det revisorer og byrådsavdelinger søker etter på tvers av
    bydelene. Store og små bokstaver, bindestreker og rapportåret bak tittelen er likegyldig;
    skrivefeil og andre ord er det ikke. Har seksjonen fått tittelen til en annen malseksjon,
    er det en feil.

    Feil:
        # 5. MILJØ- OG KLIMARAPPORTING 2024
        ## 6.2 Merknader for kommunerevisjonen og kontrollutvalget

    Riktig:
        # 5. MILJØ- OG KLIMARAPPORTERING 2024
        ## 6.2 Merknader fra kommunerevisjonen og kontrollutvalget
    """

    code = "S106"
    name = "section-title-drift"
    family = "seksjoner"
    severity = Severity.WARNING
    severity_varies = (
        "feil når seksjonen har tittelen til en annen malseksjon (en kopiert overskrift); ellers advarsel, "
        "og alltid advarsel når tittelen bare er belagt av én rapport (`belegg: 1` i regelpakken)",
        "error when the section carries another template section's title (a copied heading); otherwise a "
        "warning, and always a warning when only one report attests the title (`belegg: 1` in the rule pack)",
    )
    summary = ("Tittelen avviker fra malen", "Title differs from the template")
    messages = {
        "typo": (
            "«{title}» ser ut som en skrivefeil for malens tittel «{expected}»",
            "«{title}» looks like a typo of the template title «{expected}»",
        ),
        "drift": (
            "tittelen «{title}» avviker fra malens «{expected}»",
            "the title «{title}» differs from the template's «{expected}»",
        ),
        "other-section": (
            "{number} har tittelen til malens {other} «{other_title}»; malen har «{expected}» her",
            "{number} carries the title of the template's {other} «{other_title}»; the template has «{expected}» here",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        if context.pack is None:
            return
        specs = section_specs(context.pack)
        for match, score in drifted_titles(report, context.pack).values():
            section, spec = match.section, match.spec
            details = {"section": section.number, "title": section.title, "expected": spec.title,
                       "similarity": round(score, 2)}
            if spec.weakly_attested:
                details["evidence"] = spec.evidence
            other = next((s for s in specs if s is not spec and s.number and s.title_matches_exactly(section.title)), None)
            if other is not None:
                yield self.finding(
                    report, _title_span(section), "other-section",
                    severity=Severity.WARNING if spec.weakly_attested or other.weakly_attested else Severity.ERROR,
                    number=section.number or spec.label, other=other.number, other_title=other.title,
                    expected=spec.title, details=details,
                )
            elif _is_typo(section.title, spec):
                yield self.finding(report, _title_span(section), "typo", title=section.title, expected=spec.title,
                                   details=details)
            else:
                yield self.finding(report, _title_span(section), "drift", title=section.title, expected=spec.title,
                                   details=details)


def _is_typo(title: str, spec: SectionSpec) -> bool:
    """Same words but one misspelt ("RAPPORTING"): exactly one word differs, by a letter or two."""
    from difflib import SequenceMatcher

    a, b = normalize_title(title).split(), normalize_title(spec.title).split()
    if len(a) != len(b):
        return False
    differing = [(x, y) for x, y in zip(a, b) if x != y]
    if len(differing) != 1:
        return False
    x, y = differing[0]
    return min(len(x), len(y)) >= 5 and SequenceMatcher(None, x, y).ratio() >= 0.85


class SectionNumberMismatch(Rule):
    """En malseksjon har et annet nummer enn i malen.

    Hvorfor: seksjonen finnes (tittelen stemmer), men under feil nummer; henvisninger og
    sammenstillinger på tvers av bydelene bruker malens numre. Seksjonen kjennes igjen på
    tittelen; nummeret er bare et hint. En seksjon under nabonummeret er ett funn, ikke en kjede
    av feil titler, og en hel blokk nummerert som i et annet års mal (4.4–4.7 for 4.3–4.6) er
    ett funn for hele blokken. Nummer malen er kjent for å trykke på to måter (`andre_nummer`
    i regelpakken), gir ikke funn.

    Feil:
        ## 3.2 Funksjonsområde 1: Administrasjon og fellestjenester
        #### 3.2.1.1 Ansvarsområde

    Riktig:
        ## 3.2 Funksjonsområde 1: Administrasjon og fellestjenester
        ### 3.2.1 Ansvarsområde
    """

    code = "S107"
    name = "section-number-mismatch"
    family = "seksjoner"
    severity = Severity.WARNING
    summary = ("Malseksjon med feil nummer", "Template section with the wrong number")
    messages = {
        "mismatch": (
            "«{title}» er nummerert {found}; i malen er den {expected}{taken}",
            "«{title}» is numbered {found}; the template numbers it {expected}{taken_en}",
        ),
        "unnumbered": (
            "«{title}» mangler nummer; i malen er den {expected}",
            "«{title}» has no number; the template numbers it {expected}",
        ),
        "shifted": (
            "{count} seksjoner er nummerert {found}; i malen er de {expected} («{first}» … «{last}»){taken}",
            "{count} sections are numbered {found}; the template numbers them {expected} («{first}» … «{last}»){taken_en}",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        if context.pack is None:
            return
        matches = match_sections(report, context.pack)
        missing = {m.spec.number: m.spec for m in matches if m.section is None and m.spec.number}
        for match in matches:
            spec, section = match.spec, match.section
            if section is not None and spec.number and match.by == "title" and not section.number:
                yield self.finding(report, _title_span(section), "unnumbered", title=section.title,
                                   expected=spec.number,
                                   details={"section": None, "expected": spec.number, "title": section.title})
        for run in _shifted_runs(_misnumbered(matches)):
            if len(run) >= 3:
                (first, first_found), (last, last_found) = run[0], run[-1]
                gone = [spec for spec in (missing.get(f) for _, f in run) if spec is not None]
                if gone:
                    names = ", ".join(f"{spec.number} «{spec.title}»" for spec in gone)
                    taken = f"; malens {names} mangler" if len(gone) == 1 else f"; malens {names} mangler"
                    taken_en = f"; the template's {names} " + ("is" if len(gone) == 1 else "are") + " missing"
                else:
                    taken = taken_en = ""
                yield self.finding(
                    report, _number_span(first.section), "shifted", count=len(run), taken=taken, taken_en=taken_en,
                    found=f"{first_found}–{last_found}", expected=f"{first.spec.number}–{last.spec.number}",
                    first=first.section.title, last=last.section.title,
                    details={"sections": [{"section": f, "expected": m.spec.number, "title": m.section.title}
                                          for m, f in run]},
                )
                continue
            for match, found in run:
                section, spec = match.section, match.spec
                other = missing.get(found)
                taken = taken_en = ""
                if other is not None and other is not spec:
                    taken = f" (og malens {other.number} «{other.title}» mangler)"
                    taken_en = f" (and the template's {other.number} «{other.title}» is missing)"
                yield self.finding(report, _number_span(section), "mismatch", title=section.title, found=found,
                                   expected=spec.number, taken=taken, taken_en=taken_en,
                                   details={"section": found, "expected": spec.number, "title": section.title})


def _misnumbered(matches: list[SectionMatch]) -> list[tuple[SectionMatch, str]]:
    """Template sections found by title under another number, with the number they carry."""
    out = []
    for match in matches:
        spec, section = match.spec, match.section
        if section is None or not spec.number or match.by != "title":
            continue
        found = _norm_number(section.number)
        if found and found not in spec.numbers:
            out.append((match, found))
    return out


def _shifted_runs(misnumbered: list) -> list[list]:
    """Consecutive template siblings all numbered off by the same step (a block of sections
    numbered as in another year's template) form one run; every other misnumbering its own.
    A subsection that only moved with its parent (4.7.2 as 4.8.2 under 4.7 as 4.8) is the
    parent's finding."""
    found_for = {id(m.spec): found for m, found in misnumbered}
    runs: list[list] = []
    for match, found in misnumbered:
        parent = match.spec.parent
        if parent is not None and id(parent) in found_for and match.spec.number \
                and found == found_for[id(parent)] + match.spec.number[len(parent.number or ""):]:
            continue
        shift = _shift(found, match.spec.number)
        if runs and shift is not None:
            prev_match, prev_found = runs[-1][-1]
            if (_shift(prev_found, prev_match.spec.number) == shift and prev_match.spec.parent is match.spec.parent
                    and match.spec.index > prev_match.spec.index):
                runs[-1].append((match, found))
                continue
        runs.append([(match, found)])
    return runs


def _shift(found: str, expected: str) -> tuple[str, int] | None:
    a, b = found.split("."), expected.split(".")
    if len(a) != len(b) or a[:-1] != b[:-1] or not (a[-1].isdigit() and b[-1].isdigit()):
        return None
    return ".".join(a[:-1]), int(a[-1]) - int(b[-1])


class SectionOutOfOrder(Rule):
    """Malseksjonene står i en annen rekkefølge enn i malen.

    Hvorfor: alle bydelenes rapporter leses side om side i malens rekkefølge.

    Feil:
        ## 4.19 Forebygging og bekjemping av rasisme
        ## 4.18 Rapportering jodberedskap

    Riktig:
        ## 4.18 Rapportering jodberedskap
        ## 4.19 Forebygging og bekjemping av rasisme
    """

    code = "S108"
    name = "section-out-of-order"
    family = "seksjoner"
    severity = Severity.WARNING
    summary = ("Malseksjon i feil rekkefølge", "Template section out of order")
    messages = {
        "order": (
            "«{title}» står etter «{before}», men kommer før den i malen",
            "«{title}» comes after «{before}», but precedes it in the template",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        if context.pack is None:
            return
        found = [m for m in match_sections(report, context.pack) if m.section is not None and m.section.span]
        offsets = [m.section.span.offset for m in found]
        keep = _longest_increasing(offsets)
        for index, match in enumerate(found):
            if index in keep:
                continue
            before = max((found[j] for j in keep if offsets[j] < offsets[index]),
                         key=lambda m: m.section.span.offset, default=None)
            if before is None:
                continue
            yield self.finding(
                report, _title_span(match.section), "order", title=match.spec.label, before=before.spec.label,
                details={"section": match.spec.number, "title": match.spec.title},
            )


def _longest_increasing(values: list[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (patience sorting)."""
    import bisect

    tails: list[int] = []
    tails_idx: list[int] = []
    prev = [-1] * len(values)
    for i, v in enumerate(values):
        pos = bisect.bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
            tails_idx.append(i)
        else:
            tails[pos] = v
            tails_idx[pos] = i
        prev[i] = tails_idx[pos - 1] if pos > 0 else -1
    out: set[int] = set()
    i = tails_idx[-1] if tails_idx else -1
    while i >= 0:
        out.add(i)
        i = prev[i]
    return out


class SectionTextMissing(Rule):
    """En malseksjon som skal ha egen tekst, har bare underavsnitt eller tabeller.

    Hvorfor: noen seksjoner er selve vedtaket eller redegjørelsen (for eksempel
    «Budsjettvedtak»): tabellene under dem er vedlegg til teksten, ikke erstatning for den.
    Regelpakken sier hvilke med `egen_tekst: true`.

    Feil:
        # Budsjettvedtak
        ## Budsjett per funksjonsområde

    Riktig:
        # Budsjettvedtak
        Bydelsutvalget vedtar driftsbudsjettet for 2026 slik det står i tabellene under.
        ## Budsjett per funksjonsområde
    """

    code = "S109"
    name = "section-text-missing"
    family = "seksjoner"
    severity = Severity.WARNING
    summary = ("Malseksjon uten egen tekst", "Template section without its own text")
    messages = {
        "missing": (
            "«{title}» har ingen egen tekst, bare underavsnitt eller tabeller; malen krever tekst her",
            "«{title}» has no text of its own, only subsections or tables; the template requires text here",
        ),
    }

    def check(self, report: Report, context: RuleContext) -> Iterable[Finding]:
        if context.pack is None:
            return
        for match in match_sections(report, context.pack):
            section = match.section
            if section is None or not match.spec.raw.get("egen_tekst") or section.is_empty:
                continue
            if any(isinstance(b, (Paragraph, ListBlock)) for b in section.blocks):
                continue
            yield self.finding(report, _title_span(section), "missing", title=section.title,
                               details={"section": section.number, "title": section.title})
