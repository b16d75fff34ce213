-- Natural order of run names: 'seed0_lr2' before 'seed0_lr10'. Every run of digits becomes its
-- length (4 digits, leading zeros dropped) followed by the digits, so integers compare by value
-- under any collation; digits right after '<digit>.' are a decimal fraction and stay as written, so
-- 'lr-0.001' < 'lr-0.05' < 'lr-0.1'. The text around them is kept as is. Runs list by
-- natural_sort_key(path), then path, then id. query-service's NaturalOrder builds the same key.
CREATE FUNCTION natural_sort_key(s text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(CASE WHEN t.tok ~ '^[0-9]' AND NOT coalesce(t.prev = '.' AND t.prev2 ~ '^[0-9]', false)
                                    THEN lpad(length(ltrim(t.tok, '0'))::text, 4, '0') || ltrim(t.tok, '0')
                                    ELSE t.tok END, '' ORDER BY t.n), '')
    FROM (SELECT m.tok[1] AS tok, m.n, lag(m.tok[1]) OVER (ORDER BY m.n) AS prev,
                 lag(m.tok[1], 2) OVER (ORDER BY m.n) AS prev2
          FROM regexp_matches(s, '[0-9]+|[^0-9]+', 'g') WITH ORDINALITY AS m(tok, n)) t
$$;
