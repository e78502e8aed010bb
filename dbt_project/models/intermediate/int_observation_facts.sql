{{ config(materialized='view') }}
{#- Everything CONTACT records as an OMOP OBSERVATION, one row per fact, with the visit it
    belongs to: reasons for encounter (ICPC-2), the coded call reason (ICPC-2), the triage
    decision, whether the patient has a regular GP (as said at the call and at the encounter),
    the orientation at the end of the encounter and the handover to the GP (CONTACT codes). -#}
select
    'rfe:' || encounter_key || ':' || position as observation_key,
    'encounter:' || encounter_key as visit_key,
    'ICPC2' as vocabulary_id,
    icpc2_code as source_code
from {{ ref('stg_diagnoses') }}
where kind = 'reason_for_encounter'

union all

select 'call_reason:' || call_key, 'call:' || call_key, 'ICPC2', call_reason_code
from {{ ref('stg_calls') }}
where call_reason_code is not null

union all

select 'triage:' || call_key, 'call:' || call_key, 'CONTACT', 'triage:' || triage_decision
from {{ ref('stg_calls') }}

union all

select
    'regular_gp:call:' || call_key, 'call:' || call_key, 'CONTACT',
    'regular_gp:' || patient_has_regular_gp
from {{ ref('stg_calls') }}

union all

select
    'regular_gp:encounter:' || encounter_key, 'encounter:' || encounter_key, 'CONTACT',
    'regular_gp:' || patient_has_regular_gp
from {{ ref('stg_encounters') }}

union all

select 'outcome:' || encounter_key, 'encounter:' || encounter_key, 'CONTACT', 'outcome:' || outcome
from {{ ref('stg_encounters') }}

union all

select
    'gp_handover:' || encounter_key, 'encounter:' || encounter_key, 'CONTACT',
    'gp_handover:' || gp_handover
from {{ ref('stg_encounters') }}
