package dev.backupstate.inbox;

import dev.backupstate.model.Event;
import dev.backupstate.model.Outcome;
import dev.backupstate.model.ResourceKind;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.openapi.BeanConfig;
import org.apache.camel.openapi.RestOpenApiReader;
import org.apache.camel.openapi.RestOpenApiSupport;

/**
 * GET /api/v1/openapi.json: Camel's description of the REST routes, with the schemas of every operation
 * document a person may send and of every resource kind and answer, generated from the model's records by
 * swagger-core (Jackson's view of them), never written twice. Built once, on the first call.
 */
public final class OpenApiDocument {

    private static final String REF = "#/components/schemas/";

    private volatile String rendered;

    public void describe(Exchange exchange) throws Exception {
        String document = rendered;
        if (document == null) {
            document = render(exchange.getContext());
            rendered = document;
        }
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(document);
    }

    static String render(CamelContext camel) throws Exception {
        RestOpenApiSupport support = new RestOpenApiSupport();
        BeanConfig config = new BeanConfig();
        support.initOpenApi(config, Map.of("api.title", "Backup State Engine", "api.version", "v1",
                "api.description", "Every call needs a bearer token of a configured user; see README \"REST API\"."));
        OpenAPI api = new RestOpenApiReader().read(camel, support.getRestDefinitions(camel), config, camel.getName(),
                camel.getClassResolver());
        if (api.getComponents() == null) {
            api.setComponents(new Components());
        }
        // Camel's reader writes the host it was not given as "http://null"; a relative server is the engine that
        // served this document, on whatever address and scheme the caller reached it
        api.setServers(java.util.List.of(new io.swagger.v3.oas.models.servers.Server().url("/")
                .description("the engine that served this document")));
        Components components = api.getComponents();
        ModelConverters converters = ModelConverters.getInstance();
        List<Schema> documents = new ArrayList<>();
        for (Map.Entry<String, Class<? extends Event>> kind : OperationDocuments.peoplesKinds().entrySet()) {
            converters.readAll(kind.getValue()).forEach(components::addSchemas);
            String spec = kind.getValue().getSimpleName();
            Schema<Object> document = new ObjectSchema()
                    .addProperty("apiVersion", new StringSchema()._enum(List.of(OperationDocuments.API_VERSION)))
                    .addProperty("kind", new StringSchema()._enum(List.of(kind.getKey())))
                    .addProperty("metadata", new Schema<>().$ref(REF + "Metadata"))
                    .addProperty("spec", new Schema<>().$ref(REF + spec));
            document.setRequired(List.of("kind", "spec"));
            document.setDescription(kind.getKey() + ": an operation document (YAML or JSON)");
            components.addSchemas(kind.getKey() + "Document", document);
            documents.add(new Schema<>().$ref(REF + kind.getKey() + "Document"));
        }
        components.addSchemas("Metadata", new ObjectSchema()
                .addProperty("requestId", new StringSchema().pattern("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
                        .description("the same id acts once; absent: the engine makes one"))
                .addProperty("user", new StringSchema().description("if given, must be the caller; identity comes from the token")));
        for (ResourceKind kind : ResourceKind.values()) {
            converters.readAll(kind.type()).forEach(components::addSchemas);
        }
        converters.readAll(Outcome.class).forEach(components::addSchemas);
        converters.readAll(DryRun.class).forEach(components::addSchemas);
        converters.readAll(dev.backupstate.model.Notice.class).forEach(components::addSchemas);
        Schema<Object> anyDocument = new Schema<>();
        anyDocument.setOneOf(documents);
        components.addSchemas("OperationDocument", anyDocument);
        Schema<Object> anyResource = new Schema<>();
        anyResource.setOneOf(java.util.Arrays.stream(ResourceKind.values())
                .map(kind -> (Schema) new Schema<>().$ref(REF + kind.type().getSimpleName())).toList());
        components.addSchemas("Resource", anyResource);
        components.addSchemas("ResourcePage", new ObjectSchema()
                .addProperty("kind", new StringSchema())
                .addProperty("items", new ArraySchema().items(new Schema<>().$ref(REF + "Resource")))
                .addProperty("continue", new StringSchema().description("absent on the last page")));
        link(api);
        return RestOpenApiSupport.getJsonFromOpenAPIAsString(api, config);
    }

    /** The operations' bodies and answers, by operation id. */
    private static void link(OpenAPI api) {
        if (api.getPaths() == null) {
            return;
        }
        for (PathItem path : api.getPaths().values()) {
            for (Operation operation : path.readOperations()) {
                switch (String.valueOf(operation.getOperationId())) {
                    case "submitRequest" -> {
                        Content content = new Content()
                                .addMediaType("application/yaml", new MediaType().schema(new Schema<>().$ref(REF + "OperationDocument")))
                                .addMediaType("application/json", new MediaType().schema(new Schema<>().$ref(REF + "OperationDocument")));
                        operation.setRequestBody(new RequestBody().required(true).content(content));
                        answer(operation, "202", "Outcome");
                        answer(operation, "409", "Outcome");
                        answer(operation, "200", "DryRun");
                    }
                    case "getOutcome" -> answer(operation, "200", "Outcome");
                    case "listResources" -> answer(operation, "200", "ResourcePage");
                    case "getResource" -> answer(operation, "200", "Resource");
                    default -> { }
                }
            }
        }
    }

    private static void answer(Operation operation, String code, String schema) {
        if (operation.getResponses() == null) {
            operation.setResponses(new io.swagger.v3.oas.models.responses.ApiResponses());
        }
        ApiResponse response = operation.getResponses().computeIfAbsent(code, c -> new ApiResponse().description(schema));
        response.setContent(new Content().addMediaType("application/json", new MediaType().schema(new Schema<>().$ref(REF + schema))));
    }
}
