package dev.athanor.query.common.paging;

import dev.athanor.query.common.api.Params;
import dev.athanor.query.common.error.BadInputException;
import dev.athanor.query.config.QueryConfig;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns the offset/limit query parameters into a {@link PageRequest}, enforcing the configured maximum. */
@ApplicationScoped
public class Paging {

    private final QueryConfig config;

    public Paging(QueryConfig config) {
        this.config = config;
    }

    public PageRequest request(String offsetParam, String limitParam) {
        Integer offset = Params.optionalInt("offset", offsetParam);
        Integer limit = Params.optionalInt("limit", limitParam);
        int max = config.paging().maxLimit();
        int o = offset == null ? 0 : offset;
        int l = limit == null ? config.paging().defaultLimit() : limit;
        if (o < 0) {
            throw new BadInputException("offset", "offset must be 0 or more, got " + o);
        }
        if (l < 1 || l > max) {
            throw new BadInputException("limit", "limit must be between 1 and " + max + ", got " + l);
        }
        return new PageRequest(o, l);
    }
}
