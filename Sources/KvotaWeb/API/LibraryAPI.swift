import Foundation
import Hummingbird
import KvotaCore
import KvotaStore

/// `/api/v1/library` (issue 8, scripts and regulations library): scripts, regulations and guides, each linked from
/// the pipeline stages where reps need it (`?stage=` lists a stage's).
struct LibraryAPI {
    let database: Database
    let config: AppConfig

    struct DocumentDTO: Encodable {
        let id: Int64
        let kind: String
        let title: String
        let body: String
        let stageIds: [Int64]
        let updatedAt: Date
        let version: Int64

        init(_ document: LibraryDocument) {
            id = document.id.rawValue; kind = document.kind.rawValue; title = document.title; body = document.body
            stageIds = document.stageIDs.map(\.rawValue); updatedAt = document.updatedAt; version = document.version
        }
    }

    struct Body: Decodable { let kind: String?; let title: String?; let body: String?; let stageIds: [Int64]? }
    struct Documents: Encodable { let items: [DocumentDTO] }

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("/library") { request, context -> Response in
            var errors = ValidationFailure.Collector()
            let parameters = request.uri.queryParameters
            let kind = decodeKey(parameters["kind"].map(String.init), as: LibraryDocument.Kind.self, field: "kind", into: &errors)
            let stage = ListParameters.id(parameters, "stage", into: &errors).map { Stage.ID($0) }
            try errors.finish()
            return try JSONBody.response(Documents(items: try await database.libraryDocuments(for: context.actor, kind: kind, stage: stage)
                .map(DocumentDTO.init)))
        }
        api.post("/library") { request, context -> Response in
            let body = try await JSONBody.decode(Body.self, from: request)
            var errors = ValidationFailure.Collector()
            let kind = decodeKey(body.kind, as: LibraryDocument.Kind.self, field: "kind", into: &errors)
            let document = try await database.addLibraryDocument(kind: kind, title: body.title, body: body.body,
                                                                 stages: (body.stageIds ?? []).map { Stage.ID($0) }, problems: errors,
                                                                 by: context.actor, at: config.now(), address: context.address)
            return try Versioning.response(DocumentDTO(document), version: document.version, status: .created)
        }
        api.get("/library/:id") { request, context -> Response in
            let document = try await database.libraryDocument(LibraryDocument.ID(try request.id(.libraryDocument, context: context)), for: context.actor)
            return try Versioning.response(DocumentDTO(document), version: document.version)
        }
        api.patch("/library/:id") { request, context -> Response in
            let id = LibraryDocument.ID(try request.id(.libraryDocument, context: context))
            let body = try await JSONBody.decode(Body.self, from: request)
            var errors = ValidationFailure.Collector()
            let kind = decodeKey(body.kind, as: LibraryDocument.Kind.self, field: "kind", into: &errors)
            let document = try await database.updateLibraryDocument(id, kind: kind, title: body.title, body: body.body,
                                                                    stages: body.stageIds.map { $0.map { Stage.ID($0) } }, problems: errors,
                                                                    expectedVersion: try Versioning.expectedVersion(request), by: context.actor,
                                                                    at: config.now(), address: context.address)
            return try Versioning.response(DocumentDTO(document), version: document.version)
        }
        api.delete("/library/:id") { request, context -> Response in
            try await database.deleteLibraryDocument(LibraryDocument.ID(try request.id(.libraryDocument, context: context)), by: context.actor,
                                                     at: config.now(), address: context.address)
            return Response(status: .noContent)
        }
    }
}
