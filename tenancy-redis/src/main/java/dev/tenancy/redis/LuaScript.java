package dev.tenancy.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Lua script, run by its SHA-1 digest so that the common case sends only the digest (EVALSHA). A server that has
 * not seen the script yet (first use, restart, fail-over, SCRIPT FLUSH) answers NOSCRIPT; the script is then sent once
 * in full (EVAL), which also caches it on the server for every later call.
 */
final class LuaScript {

  private final String name;
  private final String source;
  private final String sha;

  LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /** Loads {@code dev/tenancy/redis/<name>} from the class path. */
  static LuaScript load(String name) {
    try (InputStream in = LuaScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Lua script " + name + " is missing from the tenancy-redis jar");
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Lua script " + name + " from the tenancy-redis jar", e);
    }
  }

  String name() {
    return name;
  }

  String source() {
    return source;
  }

  String sha() {
    return sha;
  }

  /**
   * Runs the script on one key.
   *
   * @return the script's reply, converted by Lettuce according to {@code type}
   */
  <T> CompletionStage<T> run(RedisAsyncCommands<String, String> redis, ScriptOutputType type, String key,
      String... args) {
    return runOn(redis, type, new String[] {key}, args);
  }

  /**
   * Runs the script on several keys, which must share a Redis Cluster slot.
   *
   * @return the script's reply, converted by Lettuce according to {@code type}
   */
  <T> CompletionStage<T> runOn(RedisAsyncCommands<String, String> redis, ScriptOutputType type, String[] keys,
      String... args) {
    CompletionStage<T> bySha = redis.evalsha(sha, type, keys, args);
    return bySha.<CompletionStage<T>>handle((value, failure) -> {
      if (failure == null) {
        return CompletableFuture.completedFuture(value);
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      if (cause instanceof RedisNoScriptException) {
        return redis.<T>eval(source, type, keys, args);
      }
      return CompletableFuture.<T>failedFuture(cause);
    }).thenCompose(stage -> stage);
  }

  private static String sha1(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform must provide SHA-1", e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
