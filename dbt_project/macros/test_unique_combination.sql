{#- Fails for each combination of `columns` that occurs more than once (dbt_utils-free, so the
    project installs no dbt package from outside the Python registry). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
