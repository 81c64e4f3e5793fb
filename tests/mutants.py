"""Mutation check: deliberate bugs that a user would notice must each fail at least one test.

Usage (from the repository root, with the project's venv):

    .venv/bin/python tests/mutants.py               # every mutation against its own few tests
    .venv/bin/python tests/mutants.py --all-tests   # every mutation against the whole default run
    .venv/bin/python tests/mutants.py --only alerts_raw_p_values --only note_second_column
    .venv/bin/python tests/mutants.py --list        # the mutations, their files and their tests
    .venv/bin/python tests/mutants.py --jobs 1      # one mutation at a time (default: 2 at once)

How it works: the tracked files of the repository (``git ls-files``, as they are in the work
tree, plus ``models/default``) are copied into a temporary folder, one copy per job. Each
mutation replaces one snippet (which must occur exactly once in its file) in a copy, runs

    python -m pytest -q -x -p no:cacheprovider <targets>

there (cwd = the copy, ``PYTHONPATH`` = the copy, no bytecode written), and puts the file back.
A failing test kills the mutation; a passing run means it survived. Before the mutations, the
same tests run once on the unchanged copy: tests that already fail there (for instance while
the bundled model is being retrained) are reported and deselected, so that they neither kill
nor hide a mutation.

Exit status: 0 when every mutation is killed; 1 when one survives, when its snippet is stale
(not found exactly once), when a target no longer exists, or when a run cannot tell (a
collection error, no test left to run). The summary table at the end lists name, file,
result and seconds.

This file is stdlib only and is not a test module: pytest imports it (doctest collection) but
finds nothing to run in it.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXTRA = ["models/default"]  # copied even when not tracked (the bundled model)

# (name, relative_file, old_snippet, new_snippet, test_targets)
MUTATIONS: list[tuple[str, str, str, str, list[str]]] = [
    # --- alerts and statistics (reports) ------------------------------------------------------------------------
    (
        "alerts_raw_p_values",  # Benjamini-Hochberg skipped: many comparisons raise chance alerts
        "classifier/reports/trends.py",
        'q_values = benjamini_hochberg([c["p_value"] for c in candidates])',
        'q_values = [c["p_value"] for c in candidates]',
        ["tests/reports/test_trends.py::test_raw_p_below_alpha_but_corrected_above_raises_no_alert",
         "tests/reports/test_trends.py::test_false_alarm_rate_with_many_small_groups"],
    ),
    (
        "alerts_no_significance_test",  # `q < rules.alpha` dropped: effect size alone raises an alert
        "classifier/reports/trends.py",
        "if q < rules.alpha and effect >= rules.min_effect",
        "if effect >= rules.min_effect",
        ["tests/reports/test_trends.py::test_raw_p_below_alpha_but_corrected_above_raises_no_alert",
         "tests/reports/test_trends.py::test_false_alarm_rate_with_many_small_groups"],
    ),
    (
        "alerts_min_effect_zero",  # 8% against 2% on thousands of rows becomes an alert
        "classifier/reports/trends.py",
        "min_effect: float = 0.10",
        "min_effect: float = 0.0",
        ["tests/reports/test_trends.py::test_only_the_minimum_effect_blocks_a_tiny_but_certain_difference"],
    ),
    (
        "stats_z_test_wrong_direction",  # one-sided test looks for shares *below* the rest
        "classifier/reports/statistics.py",
        "return float(norm.sf((k1 / n1 - k2 / n2) / se))",
        "return float(norm.cdf((k1 / n1 - k2 / n2) / se))",
        ["tests/reports/test_trends.py::test_proportion_tests_and_bh"],
    ),
    (
        "stats_fisher_wrong_direction",  # small groups: exact test one-sided the wrong way
        "classifier/reports/statistics.py",
        'alternative="greater"',
        'alternative="less"',
        ["tests/reports/test_trends.py::test_proportion_tests_and_bh",
         "tests/reports/test_trends.py::test_a_clear_difference_in_a_small_group_is_found"],
    ),
    (
        "alerts_no_cohens_h",  # 62% against 52% on a large team becomes an alert
        "classifier/reports/trends.py",
        ' and cohens_h(candidate["share"], candidate["baseline"]) >= rules.min_h:',
        ":",
        ["tests/reports/test_builders.py::test_report_needs_cohens_h_as_well_as_the_minimum_effect"],
    ),
    (
        "alerts_no_year_ago_comparison",  # the latest period is never compared with the same period a year earlier
        "classifier/reports/trends.py",
        "if _year_before(latest, period) in set(ordered) and _year_before(latest, period) not in references:",
        "if False:",
        ["tests/reports/test_builders.py::test_report_compares_the_latest_period_with_a_year_earlier"],
    ),
    # --- column roles, reading exports --------------------------------------------------------------------------
    (
        "note_second_column",  # with two free-text columns, the runner-up becomes the note
        "classifier/exports/roles.py",
        "    note = group[0]\n",
        "    note = group[1] if len(group) > 1 else group[0]\n",
        ["tests/exports/test_roles.py::test_long_note_column_wins_over_a_short_comment_column",
         "tests/exports/test_roles.py::test_clear_header_winner_is_chosen_between_two_free_text_columns"],
    ),
    (
        "note_picklist_beats_free_text",  # "Lost reason" picklist read as the note, the free text ignored
        "classifier/exports/roles.py",
        "group = texts or picks",
        "group = picks or texts",
        ["tests/exports/test_roles.py::test_free_text_beats_picklist_which_keeps_its_role"],
    ),
    (
        "date_created_counts_as_rejection_date",  # "Created Date" as good as "Lost time": trends by creation
        "classifier/exports/vocabulary.py",
        "        0.6: created, create date, createdate,",
        "        1.0: created, create date, createdate,",
        ["tests/exports/test_roles.py::test_real_rejection_date_beats_fallbacks_which_are_labelled_approximate"],
    ),
    (
        "csv_semicolon_not_sniffed",  # German Excel CSV (;) read as one column
        "classifier/exports/csv_reader.py",
        'CANDIDATES = (",", ";", "\\t", "|")',
        'CANDIDATES = (",", "\\t", "|")',
        ["tests/exports/test_reader.py::test_case06_german_excel_csv_is_windows_1252_semicolon_day_first"],
    ),
    (
        "csv_sep_line_ignored",  # Excel's "sep=;" first line is not honoured
        "classifier/exports/csv_reader.py",
        "    if match:\n        return Dialect(match.group(1), sep_line=True)\n",
        "    if False:\n        return Dialect(match.group(1), sep_line=True)\n",
        ["tests/exports/test_reader.py::test_case10_delimiter_by_constant_field_count"],
    ),
    (
        "csv_windows_1252_read_as_utf8",  # "Jörg Weiß" becomes "J�rg Wei�"
        "classifier/exports/sniff.py",
        "return bad == 0 or (good > 0 and bad <= good)",
        "return True",
        ["tests/exports/test_reader.py::test_case06_german_excel_csv_is_windows_1252_semicolon_day_first"],
    ),
    (
        "dates_ambiguous_read_month_first",  # 01.02.2024 in a German file becomes 2 January
        "classifier/exports/date_formats.py",
        'dmy = dayfirst_hint if dayfirst_hint is not None else seps != "/"',
        "dmy = False",
        ["tests/exports/test_date_formats.py::test_ambiguous_column_follows_the_locale_hint_and_says_so",
         "tests/exports/test_date_formats.py::test_case21_one_explicit_format_per_column"],
    ),
    (
        "status_open_and_won_count_as_rejections",  # converted/won/open leads enter every figure
        "classifier/exports/statuses.py",
        "            if norm in self.rejections:\n",
        "            if norm in self.rejections or norm in OTHER_STATUSES:\n",
        ["tests/exports/test_roles.py::test_status_rule_marks_non_rejections",
         "tests/exports/test_reader.py::test_case25_non_rejections_are_kept_but_marked"],
    ),
    (
        "status_converted_date_ignored",  # a filled ConvertedDate no longer marks a lead as not rejected
        "classifier/exports/statuses.py",
        "            result &= frame[self.converted].str.strip().str.casefold().isin(FALSE_VALUES)\n",
        "            pass\n",
        ["tests/exports/test_reader.py::test_case25_non_rejections_are_kept_but_marked"],
    ),
    # --- model -------------------------------------------------------------------------------------------------
    (
        "needs_review_never_set",  # the review queue and the report's review count stay empty
        "classifier/model.py",
        '"needs_review": (confidence < model.threshold) & ~empty,',
        '"needs_review": np.zeros(len(distinct), dtype=bool),',
        ["tests/test_model.py::test_needs_review_is_exactly_the_notes_below_the_threshold"],
    ),
    (
        "reason_2_least_likely",  # the runner-up column shows the least likely label
        "classifier/model.py",
        "reason_2[idx] = labels[order[:, 1]]",
        "reason_2[idx] = labels[order[:, -1]]",
        ["tests/test_model.py::test_reason_confidence_and_reason_2_follow_the_probabilities"],
    ),
    (
        "confidence_of_runner_up",  # confidence is the second label's probability
        "classifier/model.py",
        "confidence[idx] = proba[np.arange(len(idx)), order[:, 0]]",
        "confidence[idx] = proba[np.arange(len(idx)), order[:, 1]]",
        ["tests/test_model.py::test_reason_confidence_and_reason_2_follow_the_probabilities"],
    ),
    (
        "empty_notes_sent_to_model",  # "n/a", "-" get a guessed reason instead of other/1.0
        "classifier/model.py",
        "empty = np.array([is_empty_note(n) for n in distinct], dtype=bool)",
        "empty = np.zeros(len(distinct), dtype=bool)",
        ["tests/test_model.py::test_empty_notes_are_other_with_full_confidence"],
    ),
    (
        "challenge_always_english",  # German notes get the English challenge question
        "classifier/model.py",
        'questions.get((r, lg), "") for r, lg in zip(reason, langs)',
        'questions.get((r, "en"), "") for r, lg in zip(reason, langs)',
        ["tests/test_model.py::test_challenge_follows_the_note_language"],
    ),
    (
        "model_checksum_not_checked",  # a replaced or corrupt model file is unpickled
        "classifier/persistence.py",
        'if file_sha256(path) != card.get("model_sha256"):',
        "if False:",
        ["tests/test_persistence.py::test_corrupt_model_file_is_refused_before_loading"],
    ),
    (
        "model_threshold_not_loaded",  # a saved model's review threshold is replaced by 0.5 on loading
        "classifier/persistence.py",
        'threshold=float(card.get("threshold", 0.5))',
        "threshold=0.5",
        ["tests/test_persistence.py::test_saved_threshold_decides_needs_review_after_loading"],
    ),
    (
        "promote_unchecked_model",  # `models promote` makes a corrupt model the default
        "classifier/persistence.py",
        "    check_card(card, directory)\n    _read_pipeline(directory / MODEL_FILE)",
        "    pass\n    pass",
        ["tests/test_persistence.py::test_promoting_a_corrupt_model_is_refused_and_the_default_stays"],
    ),
    # --- reports, follow-ups, redaction ------------------------------------------------------------------------
    (
        "report_counts_non_rejections",  # overview "rejections" includes converted and open leads
        "classifier/reports/builders.py",
        '"rejections": int(len(rejections)),',
        '"rejections": int(len(frame)),',
        ["tests/reports/test_builders.py::test_report_alerts_name_exactly_the_planted_effects"],
    ),
    (
        "report_review_count_of_all_rows",  # overview review count includes rows that are not rejections
        "classifier/reports/builders.py",
        '"needs_review": int(rejections["needs_review"].sum()),',
        '"needs_review": int(frame["needs_review"].sum()),',
        ["tests/reports/test_builders.py::test_report_review_count_covers_only_rejections"],
    ),
    (
        "challenge_follow_up_for_every_reason",  # follow-up dates on leads that are not timing rejections
        "classifier/reports/builders.py",
        '[f.isoformat() if (f is not None and t) else ""',
        '[f.isoformat() if f is not None else ""',
        ["tests/reports/test_builders.py::test_challenge_follow_up_only_for_timing_reasons"],
    ),
    (
        "picklist_map_ignored",  # `report --picklist-map` has no effect on mapped values
        "classifier/reports/builders.py",
        "labels.update({v: mapping[v.strip().lower()] for v in distinct if v.strip().lower() in mapping})",
        "labels.update({})",
        ["tests/reports/test_builders.py::test_picklist_map_decides_the_picklist_reason"],
    ),
    (
        "followup_contract_lead_ignored",  # "Vertrag läuft bis 06/2027": call when it has already renewed
        "classifier/reports/follow_up.py",
        "return anchor - timedelta(days=min(lead, (anchor - date.min).days))",
        "return anchor",
        ["tests/reports/test_follow_up.py::test_follow_up_contract_lead_days_is_a_parameter"],
    ),
    (
        "followup_period_in_progress_skipped",  # "Q2" noted in May gives next year's Q2
        "classifier/reports/follow_up.py",
        "if (start if strict else end - _DAY) >= r:",
        "if start >= r:",
        ["tests/reports/test_follow_up.py::test_follow_up_period_in_progress_is_the_rejection_date"],
    ),
    (
        "followup_can_lie_in_the_past",  # a contract ending soon gives a date before the rejection
        "classifier/reports/follow_up.py",
        "            return max(found, r)\n",
        "            return found\n",
        ["tests/reports/test_follow_up.py::test_follow_up_contract_ending_soon_is_the_rejection_date"],
    ),
    (
        "redact_keeps_email",  # reports quote e-mail addresses
        "classifier/normalize.py",
        '    text = _EMAIL.sub("[e-mail]", text)\n',
        "",
        ["tests/reports/test_builders.py::test_report_masks_contact_data_unless_asked"],
    ),
    (
        "redact_keeps_national_phone_numbers",  # "(089) 123 45 67" is quoted in reports, only "+49 ..." is masked
        "classifier/normalize.py",
        "    text = _PHONE_RUN.sub(lambda m: \"[phone]\" if _is_phone(m) else m.group(), text)\n",
        "",
        ["tests/test_normalize.py::test_redact_masks_every_phone_number_form",
         "tests/exports/test_rough_edges.py::test_redact_masks_phones_ibans_and_obfuscated_addresses"],
    ),
    # --- writers -----------------------------------------------------------------------------------------------
    (
        "csv_formula_guard_only_equals",  # "+49 ..." and "-5" run as formulas in Excel
        "classifier/exports/writer.py",
        '_FORMULA = r"^[=+\\-@\\t\\r]"',
        '_FORMULA = r"^[=]"',
        ["tests/exports/test_reader.py::test_case20_excel_damage_flagged_apostrophe_stripped_output_neutralised"],
    ),
    (
        "arrow_csv_quotes_undoubled",  # a quote inside a quoted cell is not doubled: the row splits in two
        "classifier/exports/writer.py",
        """pc.replace_substring(column, '"', '""')""",
        "column",
        ["tests/exports/test_writer.py::test_arrow_rows_equal_the_csv_module",
         "tests/exports/test_writer.py::test_arrow_rows_read_back_as_the_cells_with_formulas_neutralised"],
    ),
    (
        "arrow_csv_quotes_only_lf",  # a cell with a bare CR or LS is not quoted: Excel starts a new row there
        "classifier/exports/writer.py",
        "re.escape(sep + '\"' + LINE_BREAKS)",
        "re.escape(sep + '\"' + chr(10))",
        ["tests/exports/test_writer.py::test_arrow_rows_equal_the_csv_module",
         "tests/test_injection.py::test_every_line_break_is_quoted_in_csv_and_tsv"],
    ),
    (
        "xlsx_formula_cells",  # XLSX output writes "=..." notes as live formulas
        "classifier/exports/writer.py",
        'if value[:1] == "=":',
        "if False:",
        ["tests/exports/test_reader.py::test_case20_excel_damage_flagged_apostrophe_stripped_output_neutralised"],
    ),
    (
        "writer_not_atomic",  # output written straight into the target: a killed run leaves half a file
        "classifier/exports/writer.py",
        "        self._tmp = temp_beside(self.path, self.forbid)\n",
        "        temp_beside(self.path, self.forbid).unlink()\n        self._tmp = self.path\n",
        ["tests/exports/test_reader.py::test_killed_run_leaves_no_partial_output",
         "tests/exports/test_reader.py::test_table_writer_streams_and_an_exception_leaves_nothing"],
    ),
    # --- fast path, history, outcomes --------------------------------------------------------------------------
    (
        "bigrams_across_notes",  # a bigram from the last word of one note and the first of the next
        "classifier/features.py",
        "        same_doc[ends[(ends >= 0) & (ends < len(first))]] = False\n",
        "",
        ["tests/test_fast_path.py::test_fast_vectorisers_equal_sklearn_transform"],
    ),
    (
        "asides_kept",  # frames, sign-offs and stamps reach the model again: "Reject reason: ..." pulls to `other`
        "classifier/lemmas.py",
        "    return strip_asides(mask(clean(note)[:MAX_CHARS]))\n",
        "    return mask(clean(note)[:MAX_CHARS])\n",
        ["tests/test_model.py::test_words_around_the_reason_change_no_answer"],
    ),
    (
        "contacts_kept",  # "Spoke to Anna Brandt on 12/03," reaches the model: contact words pull weak notes to `other`
        "classifier/asides.py",
        "return lower_contractions(_strip_contact(framed, first if framed == text else _first_words(framed)))",
        "return lower_contractions(framed)",
        ["tests/test_model.py::test_words_around_the_reason_change_no_answer"],
    ),
    (
        "pictographs_kept",  # "no budget 🤦‍♂️": an emoji sways a weakly worded note
        "classifier/asides.py",
        "strip_boilerplate(drop_pictographs(text))",
        "strip_boilerplate(text)",
        ["tests/test_model.py::test_words_around_the_reason_change_no_answer"],
    ),
    (
        "kin_always_family",  # "die Frau am Empfang", "junger Mann" fire the spouse concept: a sign that someone else decides
        "classifier/lexicon.py",
        "        return () if POSSESSIVES.isdisjoint(before) else None",
        "        return None",
        ["tests/test_preprocess.py"],
    ),
    (
        "false_friends_ignored",  # "replace" reads as a reply, the "Interessent" as interest, "switchboard" as a supplier switch
        "classifier/lexicon.py",
        "    return tuple(sorted(c for c in found if not _false_friend(lemma, c)))",
        "    return tuple(sorted(found))",
        ["tests/test_preprocess.py"],
    ),
    (
        "partner_always_business",  # "mit meinem Partner besprechen" reads as a channel partner's account, not a co-decider
        "classifier/lexicon.py",
        "    if token in PARTNERS and not SINGULAR_OWNERS.isdisjoint(before):",
        "    if False:",
        ["tests/test_preprocess.py"],
    ),
    (
        "borrow_always",  # "half" takes German "helfen", "Timing" English "time": a word reads as another word
        "classifier/lemmas.py",
        '        return not (self.lang == "de" and lower.endswith("ing"))',
        "        return True",
        ["tests/test_preprocess.py"],
    ),
    (
        "lookup_lemmas_unfixed",  # "Daten" reads as "Datum", the date; "meeting" as "meet"
        "classifier/lemmas.py",
        "        self.fixes = {**POSSESSIVE_LEMMAS, **LEMMA_FIXES[lang]}",
        "        self.fixes = dict(POSSESSIVE_LEMMAS)",
        ["tests/test_preprocess.py"],
    ),
    (
        "possessives_as_spacy_lemmatises",  # "unserem Kunden" and "meinem Kunden" read alike
        "classifier/lemmas.py",
        "        self.fixes = {**POSSESSIVE_LEMMAS, **LEMMA_FIXES[lang]}",
        "        self.fixes = dict(LEMMA_FIXES[lang])",
        ["tests/test_preprocess.py"],
    ),
    (
        "asides_decide",  # "Recap with Dr. Patel 11/7: no budget": the contact words of an unknown aside sway the reason
        "classifier/model.py",
        "        if past:  # the reason of a note with an aside is the reason of the rest",
        "        if False:",
        ["tests/test_model.py"],
    ),
    (
        "headings_kept",  # "Gesprächsfazit: ..." is never offered as an aside: an unknown heading sways the reason
        "classifier/asides.py",
        '    return (separator[0][0] != "," and len(text.split()) <= HEADING_WORDS and bool(_LONG_WORD.search(text))',
        '    return (False and len(text.split()) <= HEADING_WORDS and bool(_LONG_WORD.search(text))',
        ["tests/test_model.py", "tests/test_asides.py"],
    ),
    (
        "heading_without_body",  # "Abbruch | contact: Ms. Alvarez": the heading is set aside and the contact decides
        "classifier/asides.py",
        "            and sum(not word.startswith(\"xx\") for word in rest) >= 2)",
        "            and len(rest) >= 2)",
        ["tests/test_model.py"],
    ),
    (
        "heading_beside_kept_name",  # a heading goes though the note keeps a clause naming someone as its reason
        "classifier/model.py",
        "             if not (i in kept_names and all(map(names_nobody, asides)))}",
        "             }",
        ["tests/test_model.py"],
    ),
    (
        "heading_needs_sure_other",  # "Account review:" read alone as other at 0.46 stays, and sways the note
        "classifier/model.py",
        "        if p.argmax() == other and (p[other] >= ASIDE_OTHER or heading):",
        "        if p.argmax() == other and p[other] >= ASIDE_OTHER:",
        ["tests/test_model.py"],
    ),
    (
        "idea_without_its_words",  # explain says "idea: contact fail", not which word of the note fired it
        "classifier/explain.py",
        "        totals[_token_phrase(cue, fired)] += value / len(cues)",
        "        totals[_token_phrase(cue)] += value / len(cues)",
        ["tests/test_explain.py"],
    ),
    (
        "names_kept",  # "Frau Brandt" stays a word: the spouse concept fires and names sway the answer
        "classifier/normalize.py",
        "        text = _PERSON.sub(_person, text)",
        "        pass",
        ["tests/test_normalize.py"],
    ),
    (
        "sign_off_after_no_dropped",  # "no thanks" loses its "thanks": an answer read as a bare "no"
        "classifier/asides.py",
        "|(?<![Nn]o)(?<![Nn]ein)\\s)",
        "|\\s)",
        ["tests/test_asides.py"],
    ),
    (
        "chunk_cache_ignores_language",  # one chunk cache for German and English: lemmas of the wrong table
        "classifier/lemmas.py",
        "    return _ChunkLemmas(lang)\n",
        "    return _ChunkLemmas(\"de\")\n",
        ["tests/test_fast_path.py::test_chunk_tokenisation_and_cue_scan_equal_the_plain_spacy_path"],
    ),
    (
        "scorer_forgets_intercept",  # the fast scorer adds no intercept: probabilities differ from sklearn's
        "classifier/compact.py",
        "scores[:, :width] + self.intercept, self.a",
        "scores[:, :width], self.a",
        ["tests/test_fast_path.py::test_scorer_gives_sklearns_probabilities_and_labels"],
    ),
    (
        "scorer_ignores_naive_bayes",  # the fast scorer gives the SVM's probabilities alone: review flags differ from the pipeline's
        "classifier/compact.py",
        "        if self.bayes_weight:\n",
        "        if False:\n",
        ["tests/test_fast_path.py::test_scorer_gives_sklearns_probabilities_and_labels"],
    ),
    (
        "negation_scope_shrunk",  # "kein ... Budget" three words apart no longer counts as negated
        "classifier/lemmas.py",
        "                negated = i - last_negation <= self.scope\n",
        "                negated = i - last_negation < self.scope\n",
        ["tests/test_fast_path.py::test_one_pass_cue_scan_equals_cue_and_concept_tokens"],
    ),
    (
        "tokenizer_never_renewed",  # spaCy's vocabulary grows without bound on huge exports
        "classifier/lemmas.py",
        "                if len(self.tokenizer.vocab) > self.vocab_limit:\n",
        "                if False:\n",
        ["tests/test_fast_path.py::test_tokenizer_vocabulary_stays_bounded_and_renewal_keeps_the_lemmas"],
    ),
    (
        "seen_ids_answered_in_sorted_order",  # the probes' answers are not put back in their order
        "classifier/exports/input_checks.py",
        "        found[order] = hit\n",
        "        found[:] = hit\n",
        ["tests/exports/test_reader.py::test_seen_ids_answer_as_a_set_of_every_id_added_would"],
    ),
    (
        "prediction_cache_grows_without_hits",  # an export of unique notes fills the whole cache
        "classifier/model.py",
        "        size = self.size if self.hits * 10 >= self.asked else self.size // 2\n",
        "        size = self.size\n",
        ["tests/test_model.py::test_cached_predictions_equal_fresh_ones_and_the_cache_stays_bounded"],
    ),
    (
        "ids_forgotten_between_chunks",  # an ID repeated in a later chunk is not reported
        "classifier/exports/input_checks.py",
        "                self.ids.add(keys)\n",
        "                pass\n",
        ["tests/exports/test_reader.py::test_ids_repeated_across_streamed_chunks_are_counted_once_each"],
    ),
    (
        "compact_scorer_unnormalised",  # the scorer without scikit-learn skips the l2 norm: classify --text differs from files
        "classifier/features.py",
        "    counts.data /= np.repeat(norms, np.diff(counts.indptr))  # a row with terms has a norm > 0\n",
        "",
        ["tests/test_fast_path.py::test_scorer_gives_sklearns_probabilities_and_labels"],
    ),
    (
        "mask_letter_gate_forgets_fy",  # "FY27" left unmasked: the digits-only shortcut taken though a y stands before a digit
        "classifier/normalize.py",
        "_LETTER_DIGIT = re.compile(r\"[qhwkyjQHWKYJ\\u212a]\\s?'?\\d\")",
        "_LETTER_DIGIT = re.compile(r\"[qhwkjQHWKJ\\u212a]\\s?'?\\d\")",
        ["tests/test_normalize.py::test_mask_shortcuts_change_nothing"],
    ),
    (
        "letter_words_ignore_special_cases",  # "dont" and "Im" skip the tokenizer and stay one word
        "classifier/lemmas.py",
        "        if word.isalpha() and word not in self.specials and chunk not in self.specials:\n",
        "        if word.isalpha():\n",
        ["tests/test_fast_path.py::test_words_that_skip_the_tokenizer_get_the_tokenizers_lemmas"],
    ),
    (
        "seen_ids_runs_unsorted",  # merged runs of ID hashes left unsorted: repeated IDs go unreported
        "classifier/exports/input_checks.py",
        '            merged.sort(kind="stable")  # timsort merges the two sorted halves in one linear pass\n',
        "",
        ["tests/exports/test_reader.py::test_seen_ids_answer_as_a_set_of_every_id_added_would",
         "tests/exports/test_reader.py::test_ids_repeated_across_streamed_chunks_are_counted_once_each"],
    ),
    (
        "prediction_cache_rows_swapped",  # cached notes get another note's probabilities
        "classifier/model.py",
        "        self.row.update(zip(notes[:room], range(start, start + room)))\n",
        "        self.row.update(zip(notes[:room], reversed(range(start, start + room))))\n",
        ["tests/test_model.py::test_cached_predictions_equal_fresh_ones_and_the_cache_stays_bounded"],
    ),
    (
        "outcome_kind_swapped",  # converted leads recorded as reopened and the other way round
        "classifier/history/store.py",
        '"converted" if norm_value(r["status"] or "") in CONVERTED else "reopened"',
        '"reopened" if norm_value(r["status"] or "") in CONVERTED else "converted"',
        ["tests/history/test_history.py::test_report_finds_a_planted_outcome_with_its_numbers"],
    ),
    (
        "forget_keeps_the_note",  # forget clears the owner only: the note stays in the database
        "classifier/history/store.py",
        ".values(note=None, owner=None, forgotten=True)",
        ".values(owner=None, forgotten=True)",
        ["tests/history/test_history.py::test_forget_removes_notes_for_good_and_keeps_the_counts"],
    ),
    (
        "outcome_alert_without_test",  # every tested reason raises an outcome alert
        "classifier/reports/outcomes.py",
        "        if p < alpha:\n",
        "        if p <= 1.0:\n",
        ["tests/history/test_history.py::test_no_outcome_alert_without_a_planted_outcome"],
    ),
    (
        "ingest_not_one_transaction",  # every slice committed on its own: a killed ingest leaves half an export
        "classifier/history/store.py",
        "                self._store(connection, rows, export_id, version, result)\n",
        "                self._store(connection, rows, export_id, version, result)\n                connection.commit()\n",
        ["tests/history/test_history.py::test_a_killed_ingest_leaves_the_database_as_it_was"],
    ),
]

# Records the node ids of failing tests (and collection errors) into $MUTANTS_FAILED_LOG.
PLUGIN = '''
import os


def _log(nodeid):
    with open(os.environ["MUTANTS_FAILED_LOG"], "a", encoding="utf-8") as fh:
        fh.write(nodeid + "\\n")


def pytest_runtest_logreport(report):
    if report.failed:
        _log(report.nodeid)


def pytest_collectreport(report):
    if report.failed:
        _log("COLLECT " + report.nodeid)
'''


@dataclass
class Result:
    name: str
    file: str
    status: str  # killed, survived, stale, bad target, error, no tests, timeout
    seconds: float = 0.0
    detail: str = ""
    tail: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("killed", "timeout")


def tracked_files(root: Path) -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True).stdout
    files = [f for f in out.decode("utf-8").split("\0") if f]
    for extra in EXTRA:
        base = root / extra
        if base.is_dir():
            files += [str(p.relative_to(root)) for p in base.rglob("*") if p.is_file()]
    return sorted(set(files))


def make_copy(root: Path, files: list[str], into: Path) -> Path:
    for rel in files:
        src = root / rel
        if not src.is_file():  # deleted in the work tree
            continue
        dst = into / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    return into


def stale(root: Path, rel: str, old: str) -> str:
    path = root / rel
    if not path.is_file():
        return f"{rel} does not exist"
    count = path.read_text(encoding="utf-8").count(old)
    if count != 1:
        return f"snippet found {count} times in {rel} (expected exactly once): {old.strip()[:70]!r}"
    return ""


def covers(target: str, nodeid: str) -> bool:
    """Does the pytest target (file or node id) select ``nodeid``?"""
    target = target.rstrip("/")
    return nodeid == target or nodeid.startswith((target + "::", target + "[", target + "/"))


class Runner:
    def __init__(self, python: str, plugin_dir: Path, timeout: float):
        self.python, self.plugin_dir, self.timeout = python, plugin_dir, timeout

    def pytest(self, copy: Path, args: list[str], log: Path, timeout: float | None = None) -> tuple[int | None, str]:
        log.unlink(missing_ok=True)
        env = dict(os.environ)
        env.update(
            PYTHONDONTWRITEBYTECODE="1",
            PYTHONPATH=os.pathsep.join([str(copy), str(self.plugin_dir)]),
            MUTANTS_FAILED_LOG=str(log),
        )
        cmd = [self.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "0", "-p", "mutants_plugin", *args]
        # Own session: on a timeout the run and the workers it forked are ended together.
        proc = subprocess.Popen(cmd, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
        try:
            out, _ = proc.communicate(timeout=timeout or self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
            return None, out or ""
        except BaseException:  # Ctrl-C: do not leave a test run behind
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        return proc.returncode, out


def failed_ids(log: Path) -> list[str]:
    if not log.exists():
        return []
    return list(dict.fromkeys(line.strip() for line in log.read_text(encoding="utf-8").splitlines() if line.strip()))


def collect(runner: Runner, copy: Path, targets: list[str], log: Path) -> tuple[set[str], str]:
    """Node ids collected from the files the targets name (missing files simply give none)."""
    files = list(dict.fromkeys(t.split("::")[0] for t in targets))
    files = [f for f in files if (copy / f).exists()]
    if not files:
        return set(), ""
    code, out = runner.pytest(copy, ["--collect-only", *files], log)
    ids = {line.strip() for line in out.splitlines() if "::" in line and not line.startswith(("ERROR", "FAILED"))}
    ids |= {f for f in files if any(i.startswith(f + "::") for i in ids)}
    return ids, (out if code not in (0, 5) else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--all-tests", action="store_true", help="run the whole default suite for every mutation")
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run only this mutation (repeatable)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="mutations run at once (default 2)")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per pytest run (default 1200)")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copies")
    args = parser.parse_args(argv)

    names = [m[0] for m in MUTATIONS]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        print(f"duplicate mutation names: {sorted(dupes)}")
        return 1
    unknown = [n for n in args.only if n not in names]
    if unknown:
        print(f"unknown mutation(s) {unknown}; known: {', '.join(names)}")
        return 1
    chosen = [m for m in MUTATIONS if not args.only or m[0] in args.only]
    if args.list:
        for name, rel, _, _, targets in chosen:
            print(f"{name:42} {rel:28} {' '.join(targets)}")
        return 0

    started = time.monotonic()
    results: dict[str, Result] = {}
    runnable = []
    for name, rel, old, new, targets in chosen:
        problem = stale(ROOT, rel, old)
        if problem:
            results[name] = Result(name, rel, "stale", detail=problem)
        else:
            runnable.append((name, rel, old, new, targets))

    work = Path(tempfile.mkdtemp(prefix="mutants-"))
    plugin_dir = work / "plugin"
    plugin_dir.mkdir()
    (plugin_dir / "mutants_plugin.py").write_text(PLUGIN, encoding="utf-8")
    runner = Runner(sys.executable, plugin_dir, args.timeout)
    try:
        files = tracked_files(ROOT)
        jobs = max(1, min(args.jobs, len(runnable) or 1))
        copies = [make_copy(ROOT, files, work / f"copy{i}") for i in range(jobs)]
        print(f"{len(files)} files copied {jobs}x into {work}", flush=True)

        # The copy must import its own code, not the editable install's.
        probe = subprocess.run([sys.executable, "-c", "import classifier; print(classifier.__file__)"],
                               cwd=copies[0], capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(copies[0]), "PYTHONDONTWRITEBYTECODE": "1"})
        if not probe.stdout.strip().startswith(str(copies[0])):
            print(f"the copy imports classifier from {probe.stdout.strip() or probe.stderr.strip()}, not from itself")
            return 1

        # Targets must still exist.
        union = list(dict.fromkeys(t for m in runnable for t in m[4]))
        collected, error = collect(runner, copies[0], union, work / "collect.log")
        if error:
            print("collecting the targets failed on the unchanged copy:\n" + "\n".join(error.splitlines()[-15:]))
        checked = []
        for mutation in runnable:
            missing = [t for t in mutation[4] if not any(covers(t, n) for n in collected)]
            if missing and not args.all_tests:
                results[mutation[0]] = Result(mutation[0], mutation[1], "bad target",
                                              detail=f"no test collected for {', '.join(missing)}")
            else:
                if missing:
                    print(f"warning: {mutation[0]}: no test collected for {', '.join(missing)}")
                checked.append(mutation)
        runnable = checked
        print(f"{len(runnable)} mutations to run{' against the whole suite' if args.all_tests else ''}", flush=True)

        # Baseline: the same tests on the unchanged copy; what fails there is deselected.
        base_targets = [] if args.all_tests else list(dict.fromkeys(t for m in runnable for t in m[4]))
        deselect: list[str] = []
        if runnable:
            t0 = time.monotonic()
            what = "the whole default suite" if args.all_tests else f"{len(base_targets)} targets"
            print(f"baseline: {what} on the unchanged copy ...", flush=True)
            code, out = runner.pytest(copies[0], base_targets, work / "baseline.log", timeout=max(args.timeout, 1800))
            broken = failed_ids(work / "baseline.log")
            summary = out.strip().splitlines()[-1] if out.strip() else ""
            print(f"baseline: {summary} ({time.monotonic() - t0:.0f} s)", flush=True)
            if broken:
                print("failing without any mutation (deselected from every run below):")
                for nodeid in broken:
                    print(f"  {nodeid}")
            if code is None or (code not in (0, 1) and not broken):
                print("the baseline run did not finish cleanly:\n" + "\n".join(out.splitlines()[-20:]))
                return 1
            for nodeid in broken:
                if nodeid.startswith("COLLECT "):
                    path = nodeid.split(" ", 1)[1]
                    deselect += [f"--ignore={path}"] if path.endswith(".py") else []
                else:
                    deselect += ["--deselect", nodeid]

        free: queue.Queue[Path] = queue.Queue()
        for copy in copies:
            free.put(copy)
        lock = threading.Lock()
        done = [0]

        def run(mutation) -> Result:
            name, rel, old, new, targets = mutation
            copy = free.get()
            path = copy / rel
            original = path.read_text(encoding="utf-8")
            if original.count(old) != 1:  # the work tree changed after the check above
                free.put(copy)
                return Result(name, rel, "stale", 0.0, f"snippet found {original.count(old)} times in the copy")
            log = copy.parent / f"{copy.name}.failed.log"
            t0 = time.monotonic()
            try:
                path.write_text(original.replace(old, new, 1), encoding="utf-8")
                code, out = runner.pytest(copy, ["-x", *deselect, *([] if args.all_tests else targets)], log)
            finally:
                path.write_text(original, encoding="utf-8")
                free.put(copy)
            seconds = time.monotonic() - t0
            killers = [n for n in failed_ids(log) if not n.startswith("COLLECT ")]
            tail = out.strip().splitlines()[-12:]
            if code is None:
                result = Result(name, rel, "timeout", seconds, f"no result within {args.timeout:.0f} s", tail)
            elif code == 1 and killers:
                result = Result(name, rel, "killed", seconds, f"by {killers[0]}")
            elif code == 0:
                result = Result(name, rel, "survived", seconds, "every target passed", tail)
            elif code == 5:
                result = Result(name, rel, "no tests", seconds, "no test left to run (all deselected?)", tail)
            else:
                result = Result(name, rel, "error", seconds, f"pytest exit {code} (collection error or usage):", tail)
            with lock:
                done[0] += 1
                print(f"[{done[0]}/{len(runnable)}] {result.status:9} {name} ({seconds:.1f} s) {result.detail}",
                      flush=True)
            return result

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(run, runnable):
                results[result.name] = result
    finally:
        if args.keep:
            print(f"copies kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    ordered = [results[m[0]] for m in chosen]
    bad = [r for r in ordered if not r.ok]
    for r in bad:
        print(f"\n{r.status.upper()}: {r.name} ({r.file}) {r.detail}")
        for line in r.tail:
            print(f"    {line}")
    width = max(len(r.name) for r in ordered)
    fwidth = max(len(r.file) for r in ordered)
    print(f"\n{'mutation':{width}}  {'file':{fwidth}}  {'result':10}  {'seconds':>7}")
    print(f"{'-' * width}  {'-' * fwidth}  {'-' * 10}  {'-' * 7}")
    for r in ordered:
        print(f"{r.name:{width}}  {r.file:{fwidth}}  {r.status:10}  {r.seconds:7.1f}")
    killed = sum(r.status == "killed" for r in ordered)
    print(f"\n{killed} of {len(ordered)} mutations killed, {len(bad)} not; {time.monotonic() - started:.0f} s in all")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
