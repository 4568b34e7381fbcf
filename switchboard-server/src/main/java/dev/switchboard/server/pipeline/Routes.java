package dev.switchboard.server.pipeline;

/** Every endpoint of the server, built once and shared by all connections. */
public record Routes(
        HttpRoute publish,
        HttpRoute read,
        HttpRoute events,
        HttpRoute topicInfo,
        HttpRoute topicList,
        HttpRoute groupFetch,
        HttpRoute groupAck,
        HttpRoute groupNack,
        HttpRoute groupRelease,
        HttpRoute groupInfo,
        HttpRoute groupReset,
        JobRoutes jobs,
        HttpRoute webSocket,
        HttpRoute health,
        HttpRoute ready,
        HttpRoute metrics,
        HttpRoute dashboard) {}
