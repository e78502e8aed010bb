{#- Data Quality Dashboard-style checks, generic so that the generated _omop.yml can put them on
    every table and field. Each returns the failing rows. -#}

{#- A concept field holds 0 ("no matching concept") or a valid concept of the vocabulary, in
    `domain` when given, and standard unless it is a source concept field. -#}
{% test valid_concept(model, column_name, domain=none, standard=true) %}
select {{ column_name }} from (select * from {{ model }}) as rows_
where {{ column_name }} is not null and {{ column_name }} <> 0
  and not exists (
      select 1 from {{ source('vocab', 'concept') }} as concept
      where concept.concept_id = rows_.{{ column_name }}
      {%- if standard %} and concept.standard_concept = 'S' and concept.invalid_reason is null{% endif %}
      {%- if domain %} and concept.domain_id in ('{{ domain | replace(", ", "', '") }}'){% endif %}
  )
{% endtest %}

{#- An event does not start before the year its person was born. -#}
{% test after_birth(model, column_name) %}
select rows_.{{ column_name }}
from (select * from {{ model }}) as rows_
inner join {{ ref('person') }} as person on person.person_id = rows_.person_id
where extract(year from rows_.{{ column_name }}) < person.year_of_birth
{% endtest %}

{#- An end never precedes its start. -#}
{% test start_before_end(model, start_column, end_column) %}
select {{ start_column }}, {{ end_column }} from {{ model }}
where {{ end_column }} < {{ start_column }}
{% endtest %}

{#- An event of a visit happens between the start and the end of that visit. -#}
{% test within_visit(model, column_name) %}
select rows_.{{ column_name }}
from (select * from {{ model }}) as rows_
inner join {{ ref('visit_occurrence') }} as visit
    on visit.visit_occurrence_id = rows_.visit_occurrence_id
where rows_.{{ column_name }} < visit.visit_start_date
   or rows_.{{ column_name }} > visit.visit_end_date
{% endtest %}

{#- An event happens within one of its person's observation periods. -#}
{% test within_observation_period(model, column_name) %}
select rows_.person_id, rows_.{{ column_name }}
from (select * from {{ model }}) as rows_
where not exists (
    select 1 from {{ ref('observation_period') }} as period
    where period.person_id = rows_.person_id
      and rows_.{{ column_name }} between period.observation_period_start_date
                                     and period.observation_period_end_date
)
{% endtest %}

{#- Observation periods of a person never overlap. -#}
{% test no_overlapping_periods(model) %}
select earlier.person_id
from (select * from {{ model }}) as earlier
inner join (select * from {{ model }}) as later
    on later.person_id = earlier.person_id
   and later.observation_period_id <> earlier.observation_period_id
   and later.observation_period_start_date between earlier.observation_period_start_date
                                               and earlier.observation_period_end_date
{% endtest %}

{#- Every person has at least one observation period. -#}
{% test has_observation_period(model, column_name) %}
select person.{{ column_name }}
from (select * from {{ model }}) as person
where not exists (
    select 1 from {{ ref('observation_period') }} as period
    where period.person_id = person.{{ column_name }}
)
{% endtest %}

{#- Values of a measured concept stay within its plausible range (the extract contract's). -#}
{% test plausible_values(model, column_name, concept_column, ranges) %}
select {{ concept_column }}, {{ column_name }}
from {{ model }}
where
{%- for concept_id, bounds in ranges.items() %}
    {% if not loop.first %}or {% endif %}({{ concept_column }} = {{ concept_id }}
        and {{ column_name }} not between {{ bounds[0] }} and {{ bounds[1] }})
{%- endfor %}
{% endtest %}
