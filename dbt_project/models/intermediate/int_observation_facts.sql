{{ config(materialized='view') }}
{#- Everything CONTACT records as an OMOP OBSERVATION, one row per fact, with the visit it
    belongs to: reasons for encounter (ICPC-2), the coded call reason (ICPC-2), the triage
    decision, whether the patient has a regular GP (as said at the call and at the encounter),
    the orientation at the end of the encounter and the handover to the GP (CONTACT codes).

    Each branch exposes its record's own key as source_key, so that a join on (visit_kind,
    source_key) reads only the changed visits' rows through the staging indexes. For that the
    planner must flatten the union, which it cannot do for a branch with a WHERE clause: a
    branch that keeps only some rows gives the others a null key instead, and the filter on
    the key is applied to the union. -#}
select * from (
    select
        case when kind = 'reason_for_encounter'
            then 'rfe:' || encounter_key || ':' || position end as observation_key,
        'encounter' as visit_kind,
        encounter_key as source_key,
        'ICPC2' as vocabulary_id,
        icpc2_code as source_code,
        delivery_id,
        staged_at
    from {{ ref('stg_diagnoses') }}

    union all

    select
        case when call_reason_code is not null then 'call_reason:' || call_key end,
        'call', call_key, 'ICPC2', call_reason_code, delivery_id, staged_at
    from {{ ref('stg_calls') }}

    union all

    select
        'triage:' || call_key, 'call', call_key, 'CONTACT', 'triage:' || triage_decision,
        delivery_id, staged_at
    from {{ ref('stg_calls') }}

    union all

    select
        'regular_gp:call:' || call_key, 'call', call_key, 'CONTACT',
        'regular_gp:' || patient_has_regular_gp, delivery_id, staged_at
    from {{ ref('stg_calls') }}

    union all

    select
        'regular_gp:encounter:' || encounter_key, 'encounter', encounter_key, 'CONTACT',
        'regular_gp:' || patient_has_regular_gp, delivery_id, staged_at
    from {{ ref('stg_encounters') }}

    union all

    select
        'outcome:' || encounter_key, 'encounter', encounter_key, 'CONTACT',
        'outcome:' || outcome, delivery_id, staged_at
    from {{ ref('stg_encounters') }}

    union all

    select
        'gp_handover:' || encounter_key, 'encounter', encounter_key, 'CONTACT',
        'gp_handover:' || gp_handover, delivery_id, staged_at
    from {{ ref('stg_encounters') }}
) as facts
where observation_key is not null
