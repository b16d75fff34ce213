package dev.athanor.query.common.text;

import java.util.Comparator;

/**
 * Natural order of names: runs of digits compare by value, so {@code seed0_lr2} sorts before
 * {@code seed0_lr10}; digits right after {@code <digit>.} are a decimal fraction and compare as
 * written ({@code lr-0.001} < {@code lr-0.05} < {@code lr-0.1}); the rest compares as text. It
 * compares the key the SQL function {@code natural_sort_key} (migration V1_5_2), which run lists
 * sort by, builds — then the names themselves.
 */
public final class NaturalOrder implements Comparator<String> {

    public static final NaturalOrder INSTANCE = new NaturalOrder();

    private NaturalOrder() {
    }

    @Override
    public int compare(String a, String b) {
        int byKey = key(a).compareTo(key(b));
        return byKey != 0 ? byKey : a.compareTo(b);
    }

    /** The same text as {@code natural_sort_key(s)} in PostgreSQL. */
    public static String key(String s) {
        StringBuilder key = new StringBuilder(s.length() + 16);
        int i = 0;
        while (i < s.length()) {
            int end = i;
            boolean digits = isDigit(s.charAt(i));
            while (end < s.length() && isDigit(s.charAt(end)) == digits) {
                end++;
            }
            boolean fraction = digits && i >= 2 && s.charAt(i - 1) == '.' && isDigit(s.charAt(i - 2));
            if (digits && !fraction) {
                int start = i;
                while (start < end && s.charAt(start) == '0') {
                    start++;
                }
                String length = Integer.toString(end - start);
                key.append("0".repeat(Math.max(0, 4 - length.length()))).append(length, 0, Math.min(4, length.length()))
                        .append(s, start, end);
            } else {
                key.append(s, i, end);
            }
            i = end;
        }
        return key.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
