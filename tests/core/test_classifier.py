"""The message classifier: crisis first, then what the message is about."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from boundaries.core.classifier import Classifier, load_default_classifier
from boundaries.core.classifier import crisis as expressions
from boundaries.core.classifier.linear import ARTEFACT_NAME
from boundaries.core.types import Label, RiskLevel

ROOT = Path(__file__).resolve().parents[2]
TESTSET = ROOT / "tests" / "data" / "triage_testset.jsonl"
TESTSETS = {"own": TESTSET, "second": ROOT / "tests" / "data" / "triage_testset_2.jsonl"}
ARTEFACT = ROOT / "src" / "boundaries" / "core" / "classifier" / ARTEFACT_NAME
EXAMPLES = ROOT / "data" / "examples"


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return load_default_classifier()


URGENT = [
    "I took all my pills",
    "i've taken a load of paracetamol",
    "gonna kms",
    "I'm going to kill myself tonight",
    "I'm standing on the bridge",
    "This is goodbye. Thank you for everything",
    "I've written letters for my family",
    "I've been stockpiling my tablets",
    "I can't keep myself safe tonight",
    "my partner threatened to kill me",
    "my son says he is going to kill himself",
    "I drank some bleach",
    "i took rat poison an hour ago",
    "I'm going to throw myself off the bridge",
    "you won't hear from me again",
    "I'm not going to be around much longer",
    "I don't know if I'll still be here next week",
    "I've stockpiled my antidepressants",
    "I've been hoarding my sleeping tablets",
    "I don't trust myself around my pills tonight",
    "I cut myself last night and it won't stop bleeding",
    "I can't promise I won't hurt myself",
]

CONCERN = [
    "I don't want to be here any more",
    "honestly there's no point going on",
    "everyone would be better off without me",
    "I've been cutting again",
    "self harming again sorry",
    "I keep thinking about killing myself",
    "I want to kill myself",
    "i wnat to die",
    "suicidle thoughts again",
    "my son says he wants to kill himself",
    "I wish I could just not exist",
    "there's no reason for me to be alive",
    "I can't see a future for myself",
    "I tried to kill myself last month and I still feel awful",
]


@pytest.mark.parametrize("text", URGENT)
def test_it_finds_urgent_risk(classifier: Classifier, text: str) -> None:
    result = classifier.classify(text)
    assert result.risk is RiskLevel.URGENT
    assert result.crisis
    assert Label.CRISIS in result.labels
    assert result.top is Label.CRISIS


@pytest.mark.parametrize("text", CONCERN)
def test_it_finds_a_concern_that_is_not_urgent(classifier: Classifier, text: str) -> None:
    result = classifier.classify(text)
    assert result.risk is RiskLevel.CONCERN
    assert not result.crisis
    assert Label.CRISIS not in result.labels


NEGATED_BUT_REAL = [
    "I'm not ok, I want to die",
    "I don't want to live anymore",
    "I'm not suicidal I just want it all to stop permanently",
    "not gonna lie I've been thinking about ending it",
    "I'm no longer afraid of dying",
]


@pytest.mark.parametrize("text", NEGATED_BUT_REAL)
def test_it_still_finds_risk_when_a_negation_is_part_of_the_signal(
    classifier: Classifier, text: str
) -> None:
    assert classifier.classify(text).risk is RiskLevel.CONCERN


NOT_CRISIS_EXPRESSIONS = [
    "I would never hurt myself",
    "I'm not suicidal, just stressed",
    "no thoughts of harming myself this week",
    "I'm not going to kill myself, I promise",
    "this commute is killing me",
    "I could kill for a coffee",
    "dying to see the new film",
    "my phone is dead",
    "killing it at work this week",
    "I used to self harm as a teenager but not for ten years",
    "years ago I took an overdose",
    "we watched a documentary about suicide prevention",
    "I watched a film about self-harm",
    "I won't be around next week, I'm on holiday",
    "the grief is hitting me harder than I expected",
    "I'd rather drink bleach than sit through that meeting",
    "this song makes me want to drink bleach",
    "the dog ate some rat poison, we're at the vet",
    "I got poison ivy on the hike",
    "I've been throwing myself into work",
    "you won't hear from me again until after the holidays",
    "I don't trust myself with cake in the house",
    "I'm not sure if I'll still be around at 6, can we do 5?",
    "we can't see a future for the business",
]


@pytest.mark.parametrize("text", NOT_CRISIS_EXPRESSIONS)
def test_it_finds_no_risk_expression_in_negations_history_and_figures_of_speech(
    text: str,
) -> None:
    assert not expressions.assess(text).risk


FIGURATIVE_OR_NEGATED = [
    "This commute is killing me, running 10 mins late sorry",
    "I could kill for a coffee right now",
    "Dying to see the new Bond film this weekend",
    "my phone is dead, can you email me the time for next week",
    "I would never hurt myself, but I feel so low lately",
]
# Not listed: "I'm not suicidal, just really stressed about the exams". No expression
# fires, but the model alone scores it 0.54, over the reassured threshold (0.5): a
# known limit (docs/classifiers.md), checked for the expressions above.


@pytest.mark.parametrize("text", FIGURATIVE_OR_NEGATED)
def test_it_raises_no_crisis_for_common_figures_of_speech_and_negations(
    classifier: Classifier, text: str
) -> None:
    assert classifier.classify(text).risk is RiskLevel.NONE


#: Urgent messages from our validation set that no expression names: a place, an act
#: just done, someone else in danger, said in the writer's own way.
SAID_WITHOUT_THE_EXPRESSIONS = [
    "Got the hose and the tape in the boot of the car. Just sitting in the car park now.",
    (
        "hi sorry to bother. i keep looking at the balcony. 14th floor. i'm going to do it when "
        "it gets dark"
    ),
    "flatmate's cut really badly and won't let me call an ambulance, she said to only message you",
    "I took my husband's heart pills, all of them, about 10 minutes ago. I can't undo it now.",
    "hes holding the baby and saying he'll drop her off the balcony if i call anyone",
]


@pytest.mark.parametrize("text", SAID_WITHOUT_THE_EXPRESSIONS)
def test_the_urgency_head_pages_for_danger_no_expression_names(
    classifier: Classifier, text: str
) -> None:
    result = classifier.classify(text)
    assert result.expressed_risk is not RiskLevel.URGENT
    assert result.risk is RiskLevel.URGENT
    assert Label.CRISIS in result.labels
    (why,) = [line for line in result.risk_evidence if "danger now" in line]
    assert why.startswith("the message model reads danger now (urgency 0.")
    assert not any(word in why for word in ("balcony", "pills", "hose", "baby"))


def test_the_urgency_head_turns_only_a_risk_sign_and_never_a_reassured_one() -> None:
    model = load_default_classifier().model
    # Urgent-sounding words, but read as logistics: nothing to turn.
    logistics = "Can we move tonight's session? I'm at the station and the train is cancelled"
    assert model.read(logistics)[1] >= model.urgent_threshold
    assert load_default_classifier().classify(logistics).risk is RiskLevel.NONE
    # Read as a concern, with urgent-sounding words, but mostly about logistics (the
    # personal-mass floor) or about missing a session (the attendance rule): concern.
    for text in (
        "I won't make it tonight, the car won't start. Can we do Thursday?",
        "hiya, I wont be in tonight, meant to say earlier. feeling ok just knackered",
    ):
        assert model.read(text)[1] >= model.urgent_threshold
        assert load_default_classifier().classify(text).risk is RiskLevel.CONCERN
    # A risk sign, danger in the words, and the writer says they are safe: concern.
    reassured = "I'm not suicidal, I've given my pills to my mum to look after"
    assert model.read(reassured)[1] >= model.urgent_threshold
    assert load_default_classifier().classify(reassured).risk is RiskLevel.CONCERN


@pytest.mark.parametrize(
    ("text", "attending"),
    [
        ("I won't make tonight, sorry", True),
        ("cant make it in tomorrow sorry", True),
        ("can't make our session on Thursday", True),
        ("I can't come in today, flu", True),
        ("I won't make it through tonight", False),
        ("I won't be here tonight", False),
        ("I'm not going to make it to Friday", False),
        ("I won't make it", False),
    ],
)
def test_saying_one_will_not_come_is_told_from_not_surviving(text: str, attending: bool) -> None:
    assert expressions.about_attending(text) is attending


def test_the_urgency_is_a_probability_and_the_labels_are_unchanged() -> None:
    model = load_default_classifier().model
    for text in ("", "can we move tues to 4?", URGENT[0], "x" * 5000):
        probabilities, urgency = model.read(text)
        assert 0.0 < urgency < 1.0
        assert probabilities == model.probabilities(text)
    assert 0.5 <= model.urgent_threshold <= 0.99


def test_an_artefact_without_the_urgency_column_is_refused() -> None:
    from boundaries.core.classifier.linear import ArtefactError, load_model

    document = json.loads(gzip.decompress(ARTEFACT.read_bytes()))
    feature = next(iter(document["vocabulary"]))
    document["vocabulary"][feature] = document["vocabulary"][feature][:-1]
    with pytest.raises(ArtefactError, match="has 7 values"):
        load_model(gzip.compress(json.dumps(document).encode()))


def test_it_explains_crisis_in_plain_words_without_quoting_the_message(
    classifier: Classifier,
) -> None:
    text = "I've taken 30 of my sertraline tablets"
    result = classifier.classify(text)
    assert result.crisis
    assert result.risk_evidence
    for reason in result.risk_evidence:
        assert "sertraline" not in reason
        assert "30" not in reason


def test_it_gives_a_reschedule_that_discloses_panic_attacks_both_labels(
    classifier: Classifier,
) -> None:
    result = classifier.classify("can we move Thursday, the panic attacks are back")
    assert {Label.SCHEDULING, Label.SESSION_CONTENT} <= result.labels
    assert not result.crisis


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("can we move tues to 4?", Label.SCHEDULING),
        ("running 10 mins late sorry", Label.SCHEDULING),
        ("why won't you accept my friend request?", Label.POLICY_QUESTION),
        ("do you have a social media policy", Label.POLICY_QUESTION),
        ("Please like and share my page, subscribe to my channel!", Label.SOLICITATION),
        ("I had a really bad panic attack at work today", Label.SESSION_CONTENT),
    ],
)
def test_it_names_what_an_ordinary_message_is_about(
    classifier: Classifier, text: str, label: Label
) -> None:
    assert classifier.classify(text).top is label


def test_it_reads_the_subject_too(classifier: Classifier) -> None:
    assert classifier.classify("", subject="I want to die").risk is RiskLevel.CONCERN
    assert classifier.classify("", subject="I'm going to end my life tonight").crisis


def test_it_scores_every_label(classifier: Classifier) -> None:
    result = classifier.classify("hello")
    assert set(result.scores) == set(Label)
    assert all(0.0 <= score <= 1.0 for score in result.scores.values())


def test_it_copes_with_empty_and_very_long_messages(classifier: Classifier) -> None:
    assert classifier.classify("").risk is RiskLevel.NONE
    long = "I had a good week and the homework went well. " * 2000 + "I want to die"
    assert classifier.classify(long).risk is RiskLevel.CONCERN
    assert classifier.classify(long + " tonight").crisis


def test_the_prefilter_never_hides_an_expression() -> None:
    texts = [
        json.loads(line)["text"]
        for path in [TESTSET, *sorted(EXAMPLES.glob("*.jsonl"))]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    texts += URGENT + CONCERN + NEGATED_BUT_REAL + NOT_CRISIS_EXPRESSIONS
    for text in texts:
        assert expressions.assess(text) == expressions.assess(text, prefilter=False), text


def test_the_artefact_loads_and_is_under_20_mb() -> None:
    assert ARTEFACT.stat().st_size < 20 * 1024 * 1024
    model = load_default_classifier()
    assert model.classify("hello") is not None


def test_it_imports_neither_numpy_nor_sklearn_at_runtime() -> None:
    code = (
        "import sys\n"
        "from boundaries.core.classifier import load_default_classifier\n"
        "load_default_classifier().classify('can we move tues to 4?')\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in {'numpy', 'sklearn', "
        "'scipy', 'django'})\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == ""


_LEVELS: dict[str, Counter[tuple[RiskLevel, RiskLevel]]] = {}


def _testset_levels(
    classifier: Classifier, name: str = "own"
) -> Counter[tuple[RiskLevel, RiskLevel]]:
    """(our level, the classifier's level) for every row of a held-out test set."""
    if name not in _LEVELS:
        counts: Counter[tuple[RiskLevel, RiskLevel]] = Counter()
        for line in TESTSETS[name].read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            counts[RiskLevel(row["level"]), classifier.classify(row["text"]).risk] += 1
        _LEVELS[name] = counts
    return _LEVELS[name]


def _share(counts: Counter[tuple[RiskLevel, RiskLevel]], gold: RiskLevel, *got: RiskLevel) -> float:
    return sum(counts[gold, level] for level in got) / sum(
        counts[gold, level] for level in RiskLevel
    )


def _precision(counts: Counter[tuple[RiskLevel, RiskLevel]]) -> float:
    alerts = sum(counts[gold, RiskLevel.URGENT] for gold in RiskLevel)
    return counts[RiskLevel.URGENT, RiskLevel.URGENT] / alerts


#: Floors against regressions, a little under the shipped figures (docs/classifiers.md);
#: the issue's targets are the xfail tests below.
FLOORS = {
    # set: urgent recall, urgent precision, none paged at most
    "own": (0.80, 0.75, 0.02),
    "second": (0.70, 0.80, 0.01),
}


@pytest.mark.parametrize("name", TESTSETS)
def test_the_testset_is_large_and_varied_enough(name: str) -> None:
    rows = [json.loads(line) for line in TESTSETS[name].read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 500
    levels = Counter(RiskLevel(row["level"]) for row in rows)
    assert levels[RiskLevel.URGENT] >= 60
    assert levels[RiskLevel.CONCERN] >= 60
    ordinary = [row for row in rows if row["level"] == "none" and row["label"] != "crisis"]
    assert len(ordinary) >= 200
    assert {row["label"] for row in rows} == {str(label) for label in Label}


@pytest.mark.parametrize("name", TESTSETS)
def test_it_pages_for_few_messages_without_risk(classifier: Classifier, name: str) -> None:
    share = _share(_testset_levels(classifier, name), RiskLevel.NONE, RiskLevel.URGENT)
    assert share <= FLOORS[name][2]


@pytest.mark.parametrize("name", TESTSETS)
def test_it_pages_for_most_urgent_messages(classifier: Classifier, name: str) -> None:
    """The urgency head's gain: without it, 0.66 (own) and 0.45 (second)."""
    counts = _testset_levels(classifier, name)
    assert _share(counts, RiskLevel.URGENT, RiskLevel.URGENT) >= FLOORS[name][0]


@pytest.mark.parametrize("name", TESTSETS)
def test_it_leaves_almost_no_urgent_message_unraised(classifier: Classifier, name: str) -> None:
    counts = _testset_levels(classifier, name)
    assert _share(counts, RiskLevel.URGENT, RiskLevel.URGENT, RiskLevel.CONCERN) >= 0.96


@pytest.mark.parametrize("name", TESTSETS)
def test_it_raises_almost_every_message_at_risk(classifier: Classifier, name: str) -> None:
    """A floor against regressions: urgent-or-concern recall (target 0.99, below)."""
    counts = _testset_levels(classifier, name)
    raised = RiskLevel.URGENT, RiskLevel.CONCERN
    at_risk = sum(counts[gold, got] for gold in raised for got in RiskLevel)
    found = sum(counts[gold, got] for gold in raised for got in raised)
    assert found / at_risk >= 0.96


@pytest.mark.parametrize("name", TESTSETS)
def test_its_urgent_alerts_are_mostly_right(classifier: Classifier, name: str) -> None:
    """A floor against regressions: urgent precision (target 0.90, below)."""
    assert _precision(_testset_levels(classifier, name)) >= FLOORS[name][1]


@pytest.mark.xfail(
    reason="known gap (docs/classifiers.md): the expressions and the urgency head page for "
    "0.82 (own) and 0.75 (second test set) of the urgent messages, at 0.82 and 0.89 "
    "precision; on the own test set 1.4 % of messages without risk page",
    strict=False,
)
@pytest.mark.parametrize("name", TESTSETS)
def test_it_meets_the_urgent_targets(classifier: Classifier, name: str) -> None:
    counts = _testset_levels(classifier, name)
    assert _share(counts, RiskLevel.URGENT, RiskLevel.URGENT) >= 0.95
    assert _precision(counts) >= 0.90
    assert _share(counts, RiskLevel.NONE, RiskLevel.URGENT) <= 0.01


@pytest.mark.xfail(
    reason="known gap (docs/classifiers.md): at the threshold that keeps urgent messages "
    "raised, the model raises a third or more of ordinary messages to concern",
    strict=False,
)
@pytest.mark.parametrize("name", TESTSETS)
def test_it_meets_the_concern_target(classifier: Classifier, name: str) -> None:
    assert _share(_testset_levels(classifier, name), RiskLevel.NONE, RiskLevel.CONCERN) <= 0.10


def test_the_training_script_never_reads_the_test_set() -> None:
    source = (ROOT / "scripts" / "train_classifiers.py").read_text(encoding="utf-8")
    assert '"tests"' not in source
    assert "triage_testset" not in source


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_predictions(tmp_path: Path) -> None:
    """The artefact comes from the training script and the known data, on any CPU.

    Another CPU's BLAS kernels round differently, and the artefact keeps five
    significant digits, so scores may differ in the fifth decimal (2e-5 seen across
    kernels); the thresholds, the data and every decision must not.
    """
    shared = ROOT.parent / "shared" / "data" / "messages.jsonl"
    if not shared.exists():
        pytest.skip("the shared training data is not on this machine")
    out = tmp_path / ARTEFACT_NAME
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "train_classifiers.py"), "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=3600,
    )
    from boundaries.core.classifier.linear import load_model
    from boundaries.core.classifier.message import MessageClassifier

    shipped_artefact = ROOT / "src" / "boundaries" / "core" / "classifier" / ARTEFACT_NAME
    retrained_json = json.loads(gzip.decompress(out.read_bytes()))
    shipped_json = json.loads(gzip.decompress(shipped_artefact.read_bytes()))
    assert retrained_json["metadata"] == shipped_json["metadata"]
    assert retrained_json["thresholds"] == shipped_json["thresholds"]
    assert retrained_json["crisis"] == shipped_json["crisis"]
    retrained = MessageClassifier(load_model(out.read_bytes()))
    shipped = load_default_classifier()
    for line in [
        line for path in TESTSETS.values() for line in path.read_text(encoding="utf-8").splitlines()
    ]:
        text = json.loads(line)["text"]
        a, b = retrained.classify(text), shipped.classify(text)
        assert a.labels == b.labels
        assert a.risk == b.risk
        for label in Label:
            assert a.scores[label] == pytest.approx(b.scores[label], abs=1e-4)
