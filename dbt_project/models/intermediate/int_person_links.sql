{{ config(
    materialized='incremental',
    unique_key='record_key',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
    indexes=[{'columns': ['record_key'], 'unique': true}, {'columns': ['person_key']},
             {'columns': ['changed_at']}],
    post_hook=["{{ mark_removed_records() }}", "{{ record_read_through() }}",
               "analyze {{ this }}"],
) }}
{#- Record linkage: which records describe the same person.

    Every patient record carries a traits key and, when a valid NIR was given, a NIR key. Records
    sharing either key are the same person. Two rounds of label propagation (smallest traits key
    over a NIR, then smallest label over a traits key) link the chains seen in practice: a NIR
    given on one call and not on the next, a used name typed once as the birth name alongside
    the NIR. The person key is a traits key, so it stays a pseudonym.

    The label of a record depends only on the records within three links of it (NIR, traits,
    NIR), so a run relinks only the records within three links of a record staged or removed
    since its last run, reading the records within six links to do it (`neighbourhood`): the
    result is the full computation's. changed_at moves only when a record's person changes,
    and previous_person_key keeps the person it had before; a record that left staging stays
    as a tombstone (is_present false, changed_at moved), so that the per-person tables
    downstream know which persons to recompute (changed_person_keys, change_feed.sql). -#}
{%- set everything = reads_everything() %}
{%- set hops = 6 %}
{%- set searches = [('nir_pseudonym', 'nirs'), ('traits_pseudonym', 'traits')] %}
with records as (
    select 'call:' || call_key as record_key, nir_pseudonym, traits_pseudonym
    from {{ ref('stg_calls') }}
    union all
    select 'encounter:' || encounter_key, nir_pseudonym, traits_pseudonym
    from {{ ref('stg_encounters') }}
),

{%- if everything %}

neighbourhood as (
    select * from records
),
{%- else %}

changed as (
    select 'call:' || call_key as record_key, nir_pseudonym, traits_pseudonym
    from {{ ref('stg_calls') }} where {{ since_last_run() }}
    union all
    select 'encounter:' || encounter_key, nir_pseudonym, traits_pseudonym
    from {{ ref('stg_encounters') }} where {{ since_last_run() }}
),

{#- The keys the changed records had before (re-delivered with other traits, or removed). -#}
previous as (
    select record_key, nir_pseudonym, traits_pseudonym from {{ this }}
    where record_key in (select record_key from changed)
    union
    select record_key, nir_pseudonym, traits_pseudonym from {{ this }}
    where record_key in (select 'call:' || unit from ({{ removed_units('stg_calls') }}) as gone)
    union
    select record_key, nir_pseudonym, traits_pseudonym from {{ this }}
    where record_key in (
        select 'encounter:' || unit from ({{ removed_units('stg_encounters') }}) as gone
    )
),

{#- The keys to search with at hop 1: those of the changed records, now and before. -#}
nirs_0 as (
    select nir_pseudonym from changed where nir_pseudonym is not null
    union
    select nir_pseudonym from previous where nir_pseudonym is not null
),

traits_0 as (
    select traits_pseudonym from changed
    union
    select traits_pseudonym from previous
),
{%- for hop in range(1, hops + 1) %}

{#- The records a key found at hop {{ hop - 1 }} leads to (one branch per index). Searching only
    with keys no earlier hop searched with finds the same records as searching with them all:
    the rest were found already. -#}
found_{{ hop }} as (
    {%- for table, unit, prefix in (('stg_calls', 'call_key', 'call:'),
                                    ('stg_encounters', 'encounter_key', 'encounter:')) %}
    {%- for key, found_keys in searches %}
    select '{{ prefix }}' || {{ unit }} as record_key, nir_pseudonym, traits_pseudonym
    from {{ ref(table) }}
    where {{ key }} in (select {{ key }} from {{ found_keys }}_{{ hop - 1 }})
    {{ 'union' if not loop.last }}
    {%- endfor %}
    {{ 'union' if not loop.last }}
    {%- endfor %}
),
{%- if hop < hops %}

{%- for key, found_keys in searches %}

{{ found_keys }}_{{ hop }} as (
    select {{ key }} from found_{{ hop }} where {{ key }} is not null
    {%- for earlier in range(hop) %}
    except
    select {{ key }} from {{ found_keys }}_{{ earlier }}
    {%- endfor %}
),
{%- endfor %}
{%- endif %}
{%- endfor %}

{#- The records within six links of a change, read to relink those within three. -#}
neighbourhood as (
    {%- for hop in range(1, hops + 1) %}
    select * from found_{{ hop }}
    {{ 'union' if not loop.last }}
    {%- endfor %}
),

relinked as (
    {%- for hop in range(1, hops // 2 + 1) %}
    select record_key from found_{{ hop }}
    {{ 'union' if not loop.last }}
    {%- endfor %}
),
{%- endif %}

by_nir as (
    select nir_pseudonym, min(traits_pseudonym) as label
    from neighbourhood
    where nir_pseudonym is not null
    group by nir_pseudonym
),

first_round as (
    select neighbourhood.*, coalesce(by_nir.label, neighbourhood.traits_pseudonym) as label
    from neighbourhood
    left join by_nir on by_nir.nir_pseudonym = neighbourhood.nir_pseudonym
),

by_traits as (
    select traits_pseudonym, min(label) as label
    from first_round
    group by traits_pseudonym
),

second_round as (
    select first_round.record_key, first_round.nir_pseudonym, first_round.traits_pseudonym,
           least(first_round.label, by_traits.label) as label
    from first_round
    inner join by_traits on by_traits.traits_pseudonym = first_round.traits_pseudonym
),

by_nir_again as (
    select nir_pseudonym, min(label) as label
    from second_round
    where nir_pseudonym is not null
    group by nir_pseudonym
),

links as (
    select
        second_round.record_key,
        second_round.nir_pseudonym,
        second_round.traits_pseudonym,
        least(second_round.label, coalesce(by_nir_again.label, second_round.label)) as person_key
    from second_round
    left join by_nir_again on by_nir_again.nir_pseudonym = second_round.nir_pseudonym
    {%- if not everything %}
    where second_round.record_key in (select record_key from relinked)
    {%- endif %}
)

select
    links.*,
    true as is_present,
    {%- if is_incremental() %}
    case
        when previous.person_key = links.person_key and previous.is_present
            then previous.changed_at
        else '{{ run_started_at.isoformat() }}'::timestamptz
    end as changed_at,
    case
        when previous.person_key = links.person_key then previous.previous_person_key
        else previous.person_key
    end as previous_person_key
from links
{#- Each relinked record's previous row, looked up by its key: the planner, overestimating the
    relinked records, would otherwise hash every link of the history. #}
left join lateral (
    select * from {{ this }} as known where known.record_key = links.record_key limit 1
) as previous on true
    {%- else %}
    '{{ run_started_at.isoformat() }}'::timestamptz as changed_at,
    null::text as previous_person_key
from links
    {%- endif %}
