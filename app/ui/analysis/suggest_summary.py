"""The Suggest dialog's summary: what the answer is, how sure, and what it means.

One paragraph per :class:`~app.core.analysis.suggest.Suggestion`, in the UI language:
the model's answer (covered demand, fewest sites or mean distance), its proof or bound,
the saturation sentence when the MCLP covers ≥ 99 % of demand, and how to read the table.
"""

from __future__ import annotations

from app.ui.i18n import tr


def summary_text(s, name: str) -> str:
    """What the answer is, how sure, and (when saturated) why to ask otherwise."""
    reduced = (getattr(s, "extra", None) or {}).get("reduced") or {}
    proof_kind = reduced.get("proof")
    if s.optimal and proof_kind == "all candidates" and reduced.get("candidates_reduced") == 0:
        proof = tr("<b>no candidate covers any demand within R</b>: every answer is as good")
    elif s.optimal and proof_kind == "all candidates":
        proof = tr("<b>proven optimal</b> (every candidate that covers demand is chosen)")
    elif s.optimal and s.extra.get("proof") == "lagrangian enumeration":
        proof = tr(
            "<b>proven optimal</b> (Lagrangian bound and an enumeration of the answers it "
            "could not rule out)"
        )
    elif s.optimal and s.solver == "lagrangian":
        proof = tr("<b>proven optimal</b> (Lagrangian bound, no branch and bound needed)")
    elif s.optimal:
        proof = tr("<b>proven optimal</b> (CBC)")
    elif s.model == "mclp":
        proof = tr(
            "<b>not proven optimal</b> ({solver}; the optimum is at most {bound}, gap {gap})",
            solver=s.solver,
            bound=f"{s.bound:,.0f}",
            gap=f"{s.gap:.1%}",
        )
    elif s.model == "lscp":
        proof = tr(
            "<b>not proven optimal</b> ({solver}; at least {bound} site(s) are needed)",
            solver=s.solver,
            bound=f"{s.bound:,.0f}",
        )
    else:
        proof = tr(
            "<b>not proven optimal</b> ({solver}; the optimum is at least {bound}, gap {gap})",
            solver=s.solver,
            bound=f"{s.bound:,.0f} m",
            gap=f"{s.gap:.1%}",
        )
    fixed = (
        tr(", {demand} already by the fixed sites", demand=f"{s.fixed_covered_demand:,.0f}")
        if s.fixed_covered_demand
        else ""
    )
    if s.model == "lscp":
        head = tr(
            "In {district}, <b>{n} site(s)</b> are the fewest that cover {target} of "
            "the demand: they cover {covered} of {total} ({share}){fixed}, mean "
            "distance {mean} — {proof}.",
            district=name,
            n=len(s.sites),
            target=f"{s.target_share:.0%}",
            covered=f"{s.covered_demand:,.0f}",
            total=f"{s.total_demand:,.0f}",
            share=f"{s.share:.1%}",
            fixed=fixed,
            mean=f"{s.mean_distance_m:,.0f} m",
            proof=proof,
        )
    elif s.model == "pmedian":
        head = tr(
            "In {district}, {n} centre(s) bring demand <b>{mean}</b> from its nearest "
            "site on average (the shortest possible); they cover {covered} of {total} "
            "within R ({share}){fixed} — {proof}.",
            district=name,
            n=len(s.sites),
            mean=f"{s.mean_distance_m:,.0f} m",
            covered=f"{s.covered_demand:,.0f}",
            total=f"{s.total_demand:,.0f}",
            share=f"{s.share:.1%}",
            fixed=fixed,
            proof=proof,
        )
    else:
        head = tr(
            "{n} centre(s) cover <b>{covered}</b> of {total} demand ({share}){fixed} — {proof}.",
            n=len(s.sites),
            covered=f"{s.covered_demand:,.0f}",
            total=f"{s.total_demand:,.0f}",
            share=f"{s.share:.1%}",
            fixed=fixed,
            proof=proof,
        )
    parts = [head]
    if s.saturated:
        parts.append(
            tr(
                "<b>Saturated:</b> {n} site(s) already cover {share} of the demand "
                "within R, so nearly any placement does as well and this answer does "
                "not tell places apart. Ask for the fewest sites that cover it all "
                "(LSCP) or the shortest mean distance (p-median) instead.",
                n=len(s.sites),
                share=f"{s.share:.1%}",
            )
        )
    elif s.model == "lscp" and s.note:
        parts.append(
            tr(
                "Not all of the demand can be covered: the answer covers all that "
                "lies within R of permitted land."
            )
        )
    parts.append(
        tr(
            "{candidates} candidate points on permitted land; solved in {seconds} s. "
            "Each point is explained below: the demand it covers alone, what it adds "
            "to the better-ranked ones, what only it covers, and the demand it is the "
            "nearest site for.",
            candidates=f"{s.n_candidates:,}",
            seconds=f"{s.build_seconds + s.solve_seconds:.2f}",
        )
    )
    return " ".join(parts)
