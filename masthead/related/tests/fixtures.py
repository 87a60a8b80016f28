"""Small hand-written stories on four beats, for tests that must be easy to reason about."""

from __future__ import annotations

from datetime import UTC, datetime

from masthead.related.engine import Document

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

DIPLOMACY = [
    (
        "Foreign ministers meet in Geneva over ceasefire",
        "Foreign ministers from France and Germany met their Russian counterpart in Geneva "
        "to discuss a ceasefire. The diplomats said the talks on the peace plan were frank. "
        "The United Nations envoy urged both sides to respect the ceasefire agreement.",
    ),
    (
        "Ambassador recalled as embassy row deepens",
        "The government recalled its ambassador after a diplomatic row over the embassy. "
        "The foreign minister said the expulsion of diplomats broke the treaty. Talks at "
        "the United Nations on the dispute will resume next week in Geneva.",
    ),
    (
        "Peace talks resume under United Nations envoy",
        "Peace talks resumed in Geneva under the United Nations envoy, with foreign "
        "ministers hoping to agree a ceasefire. Diplomats said the treaty draft covers "
        "prisoner exchanges and the withdrawal of troops from the border.",
    ),
    (
        "Treaty signed after months of diplomatic talks",
        "Foreign ministers signed the treaty after months of diplomatic talks. The "
        "ambassador praised the envoy for the peace agreement, and the United Nations "
        "said it would monitor the ceasefire along the border.",
    ),
]

BUSHFIRES = [
    (
        "Bushfires force evacuations in New South Wales",
        "Firefighters battled bushfires across New South Wales as residents were told to "
        "evacuate. Hot winds and drought fanned the flames, and the fire service warned "
        "that homes near the bush were under threat.",
    ),
    (
        "Firefighters contain blaze as winds drop",
        "Firefighters contained the largest bushfire after the winds dropped overnight. "
        "The fire service said water bombers helped protect homes, but drought means the "
        "bush remains dry and evacuation orders stay in place.",
    ),
    (
        "Drought raises bushfire danger for summer",
        "Months of drought have left the bush tinder dry, the fire service said, warning "
        "of a dangerous bushfire season. Residents should prepare evacuation plans and "
        "clear gutters before hot winds arrive.",
    ),
    (
        "Homes lost as bushfire jumps containment lines",
        "Dozens of homes were lost when a bushfire jumped containment lines in hot winds. "
        "Firefighters from the rural fire service said water bombers could not reach the "
        "flames, and thousands were told to evacuate.",
    ),
]

APP_STORES = [
    (
        "Regulators probe app store commission fees",
        "Competition regulators opened a probe into the commission that app store owners "
        "charge developers. Apple and Google take up to 30% of in-app payments, and "
        "developers say the fees stifle competition on smartphones.",
    ),
    (
        "Developers win right to link to outside payments",
        "App developers won the right to link to payment systems outside the app store, "
        "after regulators ruled against the commission rules. Apple said it would appeal; "
        "Google said its Play store already allows alternative payments.",
    ),
    (
        "Smartphone makers face new app store rules",
        "New competition rules will force smartphone makers to allow rival app stores. "
        "Developers welcomed the end of the 30% commission on in-app payments, while "
        "Apple warned that sideloading apps could harm security.",
    ),
    (
        "Games studio sues over app store payments",
        "A games studio sued Apple and Google over app store payment rules, saying the "
        "commission on in-app purchases is unlawful. Regulators are watching the case, "
        "which could change how developers sell apps on smartphones.",
    ),
]

FOOTBALL = [
    (
        "United win derby with late penalty",
        "United won the derby with a late penalty after the striker was fouled in the box. "
        "The manager praised his defenders, and the goalkeeper saved a header in the "
        "final minute to keep the league title race alive.",
    ),
    (
        "Striker injury blow ahead of cup final",
        "The club's top striker will miss the cup final with a hamstring injury, the "
        "manager said. The goalkeeper and two defenders are fit, and fans hope the team "
        "can win the first trophy of the season.",
    ),
    (
        "Manager sacked after run of league defeats",
        "The club sacked its manager after a run of league defeats left the team near the "
        "relegation zone. The striker and goalkeeper paid tribute, and the board said a "
        "new coach would be named before the derby.",
    ),
]

BEATS = {
    "diplomacy": DIPLOMACY,
    "bushfires": BUSHFIRES,
    "appstores": APP_STORES,
    "football": FOOTBALL,
}


def corpus() -> tuple[list[Document], dict[str, str]]:
    """Stories ``<beat>-<n>`` and each story's beat."""
    docs, beat_of = [], {}
    for beat, stories in BEATS.items():
        for n, (title, body) in enumerate(stories):
            doc_id = f"{beat}-{n}"
            docs.append(Document(id=doc_id, title=title, body=body))
            beat_of[doc_id] = beat
    return docs, beat_of
