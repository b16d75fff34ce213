package dev.athanor.profile.index;

/**
 * Orders a lane's events by start, the longer first at equal starts (a parent before its children),
 * as a merge sort of indices over primitive arrays: no boxing for millions of events.
 */
final class LaneSort {

    private LaneSort() {
    }

    static int[] order(long[] start, long[] duration, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        int[] b = new int[n];
        for (int width = 1; width < n; width <<= 1) {
            for (int lo = 0; lo < n; lo += width << 1) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + (width << 1), n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    b[k++] = before(a[j], a[i], start, duration) ? a[j++] : a[i++];
                }
                while (i < mid) {
                    b[k++] = a[i++];
                }
                while (j < hi) {
                    b[k++] = a[j++];
                }
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    private static boolean before(int x, int y, long[] start, long[] duration) {
        return start[x] < start[y] || (start[x] == start[y] && duration[x] > duration[y]);
    }
}
